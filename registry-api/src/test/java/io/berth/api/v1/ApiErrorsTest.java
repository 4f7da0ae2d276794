package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * What the management API answers when it cannot do what was asked: bodies it cannot read, values
 * it cannot store. Always the API error body with a detail in the caller's words, never a
 * framework's message.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ApiErrorsTest {

    @Test
    void malformedJsonIsDescribedWhereItIsMalformed() {
        String org = "errors" + Long.toHexString(System.nanoTime());
        Accounts.asAdmin().body("{\"name\":\"" + org + "\"}").post("/api/v1/organization/").then().statusCode(201);
        String organizations = "/api/v1/organization/";

        apiError(Accounts.asAdmin().body("{\"name\": ").post(organizations).then(), 400, "invalid_request")
                .body("detail", allOf(containsString("not valid JSON"), containsString("line 1, column")));
        apiError(Accounts.asAdmin().body("{\"name\": \"x\" \"email\": 1}").post(organizations).then(), 400, "invalid_request")
                .body("detail", allOf(containsString("not valid JSON"), containsString("line 1, column 14")));
        apiError(Accounts.asAdmin().body("{\n  \"name\": \"abc").post(organizations).then(), 400, "invalid_request")
                .body("detail", allOf(containsString("ends before"), containsString("line 2")));
        apiError(Accounts.asAdmin().body("{\"sizeLimit\": \"abc\"}").put(organizations + org).then(), 400, "invalid_request")
                .body("detail", allOf(containsString("sizeLimit"), containsString("a whole number"), containsString("column")));
        apiError(Accounts.asAdmin().body("{\"sizeLimit\": 99999999999999999999999}").put(organizations + org).then(), 400,
                "invalid_request").body("detail", containsString("out of range"));
        apiError(Accounts.asAdmin().body("{\"name\": {\"first\": 1}}").post(organizations).then(), 400, "invalid_request")
                .body("detail", allOf(containsString("name"), containsString("a string")));
        apiError(Accounts.asAdmin().body("[1, 2]").post(organizations).then(), 400, "invalid_request")
                .body("detail", containsString("must be a JSON object"));
        apiError(Accounts.asAdmin().body("{\"name\":\"t\",\"expiration\":{\"isSet\":true,\"expiresAt\":\"tomorrow\"},"
                + "\"scope\":{\"allRegistries\":true}}").post("/api/v1/tokens").then(), 400, "invalid_request")
                .body("detail", allOf(containsString("expiration.expiresAt"), containsString("ISO-8601")));
        apiError(Accounts.asAdmin().body("{\"name\":\"t\",\"expiration\":{\"isSet\":false},\"scope\":{\"allRegistries\":false,"
                + "\"registryIds\":[\"a\", {\"b\": 1}]}}").post("/api/v1/tokens").then(), 400, "invalid_request")
                .body("detail", containsString("scope.registryIds[1]"));
        apiError(Accounts.asAdmin().body("{\"unstructured_metadata\":" + "{\"a\":".repeat(1500) + "1" + "}".repeat(1501))
                .put(organizations + org + "/robots/deep").then(), 400, "invalid_request")
                .body("detail", containsString("nested too deeply"));
        apiError(Accounts.asAdmin().contentType("text/plain").body("name=x").post(organizations).then(), 415, "unsupported_media_type")
                .body("detail", containsString("application/json"));
        // Fields an operation does not know are ignored, as they always were.
        Accounts.asAdmin().body("{\"email\":\"team@example.com\",\"colour\":\"blue\"}").put(organizations + org).then().statusCode(200);
    }

    @Test
    void valuesTheDatabaseCannotHoldAreRefusedAsTheCallersMistake() {
        String org = "nul" + Long.toHexString(System.nanoTime());
        apiError(Accounts.asAdmin().body("{\"name\":\"" + org + "\",\"email\":\"a\\u0000b\"}").post("/api/v1/organization/").then(),
                400, "invalid_request").body("detail", containsString("NUL"));
        apiError(given().get("/api/v1/organization/" + org).then(), 404, "not_found");
        apiError(given().queryParam("search", "a\u0000b").get("/api/v1/repository").then(), 400, "invalid_request");
        apiError(given().urlEncodingEnabled(false).get("/api/v1/organization/a%00b").then(), 400, "invalid_request");
    }
}
