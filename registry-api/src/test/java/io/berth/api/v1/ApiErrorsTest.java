package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.RawHttp;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * What the management API answers when it cannot do what was asked: operations it does not have,
 * methods a path does not take, bodies it cannot read, values it cannot store. Always the API error
 * body with a detail in the caller's words, never a framework's message.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ApiErrorsTest {

    @Test
    void operationsBerthDoesNotHaveAreUnknownEndpointsNotUnknownRepositories() {
        String repository = Content.uniqueRepository("endpoints");
        Registry.pushImage(repository, "v1");
        String digest = given().get("/api/v1/repository/" + repository + "/image").then().extract().path("images[0].digest");
        String base = "/api/v1/repository/" + repository;
        for (String path : new String[] {base + "/mirror", base + "/mirror/sync-now", base + "/notification/", base + "/build/",
                base + "/trigger/abc/start", base + "/tag/v1/extra", base + "/manifest/" + digest + "/security",
                base + "/image/extra", base + "/permissions/team/", base + "/changestate/extra", "/api/v1/organization/acme/unknown",
                "/api/v1/tokens/abc/def", "/api/v1/nonsense", "/api/v1/user/starred"}) {
            for (String method : new String[] {"GET", "POST"}) {
                apiError(given().contentType("application/json").body("{}").request(method, path).then(), 404, "not_found")
                        .body("detail", allOf(containsString("no such endpoint"), containsString(method), not(containsString("repository"))));
            }
        }
        // Components that are no operation's word belong to the repository's path.
        String nested = Content.uniqueRepository("endpoints") + "/deeper/still";
        Registry.pushImage(nested, "v1");
        given().get("/api/v1/repository/" + nested).then().statusCode(200).body("full_name", equalTo(nested));
        given().get("/api/v1/repository/" + nested + "/tag/").then().statusCode(200);
    }

    @Test
    void aMethodAKnownPathDoesNotTakeIs405() {
        String repository = Content.uniqueRepository("methods");
        Registry.pushImage(repository, "v1");
        apiError(given().contentType("application/json").body("{}").post("/api/v1/repository/" + repository).then(), 405,
                "method_not_allowed").body("detail", containsString("POST"));
        apiError(given().delete("/api/v1/repository/" + repository + "/changestate").then(), 405, "method_not_allowed")
                .body("detail", containsString("DELETE"));
        apiError(given().put("/api/v1/tokens").then(), 405, "method_not_allowed");
        // OPTIONS names what the path takes.
        given().options("/api/v1/repository/" + repository + "/changestate").then().header("Allow", containsString("PUT"));
    }

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
    void mediaTypeHeadersThatAreNoMediaTypesAreTheCallersMistake() {
        for (String contentType : new String[] {";;", "json", "/"}) {
            var answer = RawHttp.send("POST", "/api/v1/tokens/" + java.util.UUID.randomUUID() + "/refresh", contentType,
                    Content.utf8("{}"), Credentials.adminBasic());
            assertEquals(400, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("the Content-Type header is not a media type"), answer.body());
        }
        apiError(given().header("Accept", "text/html, ;;").get("/api/v1/repository").then(), 400, "invalid_request")
                .body("detail", containsString("Accept"));
    }

    @Test
    void freeTextHasABound() {
        String org = "bounded" + Long.toHexString(System.nanoTime());
        apiError(Accounts.asAdmin().body("{\"name\":\"" + org + "\",\"email\":\"" + "a".repeat(255) + "\"}").post("/api/v1/organization/")
                .then(), 400, "invalid_request").body("detail", containsString("email"));
        Accounts.asAdmin().body("{\"name\":\"" + org + "\"}").post("/api/v1/organization/").then().statusCode(201);
        apiError(Accounts.asAdmin().body("{\"email\":\"" + "a".repeat(255) + "\"}").put("/api/v1/organization/" + org).then(), 400,
                "invalid_request");
        apiError(Accounts.asAdmin().body("{\"description\":\"" + "d".repeat(70_000) + "\"}").put("/api/v1/organization/" + org
                + "/robots/noted").then(), 400, "invalid_request").body("detail", containsString("description"));
        apiError(Accounts.asAdmin().body("{\"unstructured_metadata\":{\"note\":\"" + "m".repeat(70_000) + "\"}}")
                .put("/api/v1/organization/" + org + "/robots/noted").then(), 400, "invalid_request");
        apiError(Accounts.asAdmin().get("/api/v1/organization/" + org + "/robots/noted").then(), 404, "not_found");
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
