package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Quotas;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Quay's quota API: a namespace's quota and its Warning and Reject limits, created, read, changed and
 * deleted; members read, administrators change; bad input answered with 4xx and the API error; the
 * Container Registry API's sizeLimit is the same quota.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class QuotaApiTest {
    private static final String PASSWORD = "quota-password";

    @Test
    void aQuotaAndItsLimitsAreCreatedReadChangedAndDeleted() {
        String org = Quotas.organization("crud");
        String base = "/api/v1/organization/" + org + "/quota";
        Accounts.asAdmin().get(base).then().statusCode(200).body("", empty());

        long id = Accounts.asAdmin().body("{\"limit_bytes\":10485760}").post(base).then().statusCode(201)
                .body("limit_bytes", equalTo(10485760)).body("limit", equalTo("10.0 MiB")).body("limits", empty())
                .body("used_bytes", equalTo(0)).extract().jsonPath().getLong("id");
        Accounts.asAdmin().get(base).then().statusCode(200).body("id", contains((int) id));
        Accounts.asAdmin().get(base + "/" + id).then().statusCode(200).body("limit_bytes", equalTo(10485760));
        // The Container Registry API sees the same quota.
        Accounts.asAdmin().get("/api/v1/organization/" + org).then().body("sizeLimit", equalTo(10485760)).body("used", equalTo(0));

        long warning = Quotas.limit(org, id, "Warning", 80);
        long reject = Accounts.asAdmin().body("{\"type\":\"reject\",\"threshold_percent\":100}").post(base + "/" + id + "/limit").then()
                .statusCode(201).body("type", equalTo("Reject")).body("limit_percent", equalTo(100)).extract().jsonPath().getLong("id");
        Accounts.asAdmin().get(base + "/" + id + "/limit").then().statusCode(200).body("type", contains("Warning", "Reject"))
                .body("limit_percent", contains(80, 100));
        Accounts.asAdmin().get(base + "/" + id + "/limit/" + warning).then().statusCode(200).body("limit_percent", equalTo(80));
        Accounts.asAdmin().body("{\"threshold_percent\":90}").put(base + "/" + id + "/limit/" + warning).then().statusCode(200)
                .body("limits.limit_percent", contains(90, 100));

        Accounts.asAdmin().body("{\"limit_bytes\":20971520}").put(base + "/" + id).then().statusCode(200)
                .body("limit_bytes", equalTo(20971520)).body("limits", hasSize(2));
        Accounts.asAdmin().body("{\"sizeLimit\":31457280}").put("/api/v1/organization/" + org).then().statusCode(200);
        Accounts.asAdmin().get(base + "/" + id).then().body("limit_bytes", equalTo(31457280)).body("limits", hasSize(2));

        Accounts.asAdmin().delete(base + "/" + id + "/limit/" + reject).then().statusCode(204);
        apiError(Accounts.asAdmin().get(base + "/" + id + "/limit/" + reject).then(), 404, "not_found");
        Accounts.asAdmin().delete(base + "/" + id).then().statusCode(204);
        apiError(Accounts.asAdmin().get(base + "/" + id).then(), 404, "not_found");
        Accounts.asAdmin().get("/api/v1/organization/" + org).then().body("sizeLimit", nullValue());

        // sizeLimit on an organization without a quota creates one, enforced (Reject at 100%); 0 removes it.
        Accounts.asAdmin().body("{\"sizeLimit\":5000}").put("/api/v1/organization/" + org).then().statusCode(200)
                .body("sizeLimit", equalTo(5000));
        Accounts.asAdmin().get(base).then().body("limit_bytes", contains(5000)).body("[0].limits.type", contains("Reject"));
        Accounts.asAdmin().body("{\"sizeLimit\":0}").put("/api/v1/organization/" + org).then().statusCode(200);
        Accounts.asAdmin().get(base).then().body("", empty());
    }

    @Test
    void membersReadQuotasAndOnlyAdministratorsChangeThem() {
        String owner = "quotaowner" + Long.toHexString(System.nanoTime());
        Accounts.createUser(owner, PASSWORD);
        String org = "members" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, owner, PASSWORD);
        String outsider = "quotaoutsider" + Long.toHexString(System.nanoTime());
        Accounts.createUser(outsider, PASSWORD);
        String base = "/api/v1/organization/" + org + "/quota";
        long id = Quotas.create(org, 1_000_000);
        long limit = Quotas.limit(org, id, "Reject", 100);

        // The organization's own administrator reads, as Quay's members do, but changes nothing: quotas are the registry's.
        Accounts.as(owner, PASSWORD).get(base).then().statusCode(200).body("id", contains((int) id));
        Accounts.as(owner, PASSWORD).get(base + "/" + id + "/limit/" + limit).then().statusCode(200);
        apiError(Accounts.as(owner, PASSWORD).body("{\"limit_bytes\":5}").put(base + "/" + id).then(), 403, "forbidden");
        apiError(Accounts.as(owner, PASSWORD).delete(base + "/" + id).then(), 403, "forbidden");
        apiError(Accounts.as(owner, PASSWORD).body("{\"type\":\"Warning\",\"threshold_percent\":5}").post(base + "/" + id + "/limit").then(),
                403, "forbidden");
        apiError(Accounts.as(owner, PASSWORD).post(base + "/recount").then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).get(base).then(), 404, "not_found");
        apiError(io.restassured.RestAssured.given().auth().none().get(base).then(), 401, "unauthorized");

        // A user's own quota: set by administrators at Quay's superuser path, read by the user at /api/v1/user/quota.
        String users = "/api/v1/superuser/users/" + outsider + "/quota";
        long own = Accounts.asAdmin().body("{\"limit_bytes\":2048}").post(users).then().statusCode(201).extract().jsonPath().getLong("id");
        Accounts.asAdmin().body("{\"type\":\"Warning\",\"threshold_percent\":50}").post(users + "/" + own + "/limit").then().statusCode(201);
        Accounts.as(outsider, PASSWORD).get("/api/v1/user/quota").then().statusCode(200).body("limit_bytes", contains(2048));
        Accounts.as(outsider, PASSWORD).get("/api/v1/user/quota/" + own + "/limit").then().statusCode(200).body("type", contains("Warning"));
        apiError(Accounts.as(outsider, PASSWORD).body("{\"limit_bytes\":1}").put(users + "/" + own).then(), 403, "forbidden");
        apiError(Accounts.asAdmin().get("/api/v1/superuser/users/" + org + "/quota").then(), 404, "not_found");
        Accounts.asAdmin().get("/api/v1/superuser/organization/" + org + "/quota").then().statusCode(200).body("id", contains((int) id));
    }

    @Test
    void badInputIsRefusedWithTheApiError() {
        String org = Quotas.organization("badquota");
        String base = "/api/v1/organization/" + org + "/quota";
        for (String body : new String[] {"{}", "{\"limit_bytes\":0}", "{\"limit_bytes\":-5}", "{\"limit_bytes\":\"ten\"}",
                "{\"limit_bytes\":99999999999999999999999}", "[1]", "not json", "{\"limit_bytes\":null}"}) {
            apiError(Accounts.asAdmin().body(body).post(base).then(), 400, "invalid_request");
        }
        apiError(Accounts.asAdmin().post(base).then(), 400, "invalid_request");
        long id = Quotas.create(org, 1000);
        apiError(Accounts.asAdmin().body("{\"limit_bytes\":1000}").post(base).then(), 409, "conflict");
        for (String body : new String[] {"{}", "{\"type\":\"Fatal\",\"threshold_percent\":50}", "{\"type\":\"Warning\"}",
                "{\"type\":\"Warning\",\"threshold_percent\":0}", "{\"type\":\"Warning\",\"threshold_percent\":101}",
                "{\"type\":\"Warning\",\"threshold_percent\":\"half\"}", "{\"type\":7,\"threshold_percent\":50}"}) {
            apiError(Accounts.asAdmin().body(body).post(base + "/" + id + "/limit").then(), 400, "invalid_request");
        }
        long reject = Quotas.limit(org, id, "Reject", 100);
        apiError(Accounts.asAdmin().body("{\"type\":\"Reject\",\"threshold_percent\":90}").post(base + "/" + id + "/limit").then(),
                409, "conflict");
        long warning = Quotas.limit(org, id, "Warning", 90);
        apiError(Accounts.asAdmin().body("{\"type\":\"Warning\",\"threshold_percent\":90}").post(base + "/" + id + "/limit").then(),
                409, "conflict");
        apiError(Accounts.asAdmin().body("{\"type\":\"Reject\"}").put(base + "/" + id + "/limit/" + warning).then(), 409, "conflict");
        apiError(Accounts.asAdmin().body("{\"threshold_percent\":-1}").put(base + "/" + id + "/limit/" + reject).then(), 400,
                "invalid_request");
        for (String missing : new String[] {"/nosuch", "/" + (id + 1000), "/-1", "/%00"}) {
            apiError(Accounts.asAdmin().get(base + missing).then(), 404, "not_found");
            apiError(Accounts.asAdmin().get(base + "/" + id + "/limit" + missing).then(), 404, "not_found");
        }
        apiError(Accounts.asAdmin().get("/api/v1/organization/nosuchorg" + System.nanoTime() + "/quota").then(), 404, "not_found");
        apiError(Accounts.asAdmin().get("/api/v1/organization/" + "x".repeat(300) + "/quota").then(), 404, "not_found");
    }

    @Test
    void aRecountReportsTheCounterAndTheTablesAgreeing() {
        String org = Quotas.organization("recount");
        Registry.pushImage(org + "/app", "v1");
        long used = Quotas.usage(org);
        Accounts.asAdmin().post("/api/v1/organization/" + org + "/quota/recount").then().statusCode(200)
                .body("namespace", equalTo(org)).body("counted_bytes", equalTo((int) used)).body("recounted_bytes", equalTo((int) used))
                .body("drift_bytes", equalTo(0)).body("digests", equalTo(3)).body("drifted_digests", equalTo(0));
        Accounts.asAdmin().post("/api/v1/superuser/quota/recount").then().statusCode(200)
                .body("namespaces.find { it.namespace == '" + org + "' }.recounted_bytes", equalTo((int) used));
    }
}
