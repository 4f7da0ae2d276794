package io.berth.api.autoprune;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.core.audit.UsageLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Policies at Quay's paths for organizations, users and repositories: created (201 with a uuid),
 * listed, read, replaced and deleted; refused with the API error naming the field when a body is
 * wrong; visible only to whoever administers them; described in the discovery document.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(PruningProfile.class)
class AutoPrunePolicyApiTest {
    private static final String PASSWORD = "pruning-password";

    @Inject
    Pool pool;

    @Inject
    UsageLog usageLog;

    @Test
    void anOrganizationsPoliciesAreCreatedListedReadReplacedAndDeleted() throws Exception {
        String org = PruneApi.organization("crud");
        String base = "/api/v1/organization/" + org + "/autoprunepolicy/";
        String uuid = given().contentType("application/json").body("{\"method\":\"number_of_tags\",\"value\":10}").post(base)
                .then().statusCode(201).body("method", equalTo("number_of_tags")).body("value", equalTo(10))
                .body("tagPattern", nullValue()).extract().path("uuid");
        UUID.fromString(uuid);
        given().get(base).then().statusCode(200).body("policies.uuid", hasItem(uuid));
        given().get(base + uuid).then().statusCode(200).body("uuid", equalTo(uuid)).body("value", equalTo(10));

        given().contentType("application/json").body(new JsonObject().put("method", "creation_date").put("value", "2w")
                        .put("tagPattern", "^pr-").put("tagPatternMatches", false).put("excludeTagPattern", "keep").encode())
                .put(base + uuid).then().statusCode(200).body("method", equalTo("creation_date")).body("value", equalTo("2w"))
                .body("tagPattern", equalTo("^pr-")).body("tagPatternMatches", equalTo(false)).body("excludeTagPattern", equalTo("keep"));
        given().get(base + uuid).then().statusCode(200).body("value", equalTo("2w")).body("tagPatternMatches", equalTo(false));

        given().delete(base + uuid).then().statusCode(204);
        apiError(given().get(base + uuid).then(), 404, "not_found");
        apiError(given().delete(base + uuid).then(), 404, "not_found");
        given().get(base).then().statusCode(200).body("policies.uuid", not(hasItem(uuid)));
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        given().get("/api/v1/organization/" + org + "/logs").then().statusCode(200)
                .body("logs.findAll { it.metadata.policy_uuid == '" + uuid + "' }.kind", containsInAnyOrder(
                        "create_namespace_autoprune_policy", "update_namespace_autoprune_policy", "delete_namespace_autoprune_policy"));
    }

    @Test
    void aUserManagesAndRunsThePoliciesOfTheirOwnNamespace() {
        String user = "pruner" + Long.toHexString(System.nanoTime());
        Accounts.createUser(user, PASSWORD);
        String uuid = Accounts.as(user, PASSWORD).body("{\"method\":\"number_of_tags\",\"value\":\"1\"}").post("/api/v1/user/autoprunepolicy/")
                .then().statusCode(201).body("value", equalTo(1)).extract().path("uuid");
        Accounts.as(user, PASSWORD).get("/api/v1/user/autoprunepolicy/").then().statusCode(200).body("policies.uuid", equalTo(List.of(uuid)));
        Accounts.as(user, PASSWORD).get("/api/v1/user/autoprunepolicy/" + uuid).then().statusCode(200);
        Registry.pushImage(user + "/app", "old");
        Registry.pushImage(user + "/app", "new");
        PruneApi.pushedAgo(pool, user + "/app", "old", 2);

        JsonPath run = Accounts.as(user, PASSWORD).post("/api/v1/user/autoprune/run").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of("old"), run.getList("report.tagsDeleted.tag"));
        assertEquals(user, run.getString("namespace"));
        assertEquals(user, run.getString("requestedBy"));
        assertEquals("api", run.getString("trigger"));
        Accounts.as(user, PASSWORD).get("/api/v1/user/autoprune/runs").then().statusCode(200).body("runs.id", hasItem(run.getString("id")));
        Accounts.as(user, PASSWORD).get("/api/v1/user/autoprune/runs/" + run.getString("id")).then().statusCode(200)
                .body("report.tagsDeleted[0].tag", equalTo("old"));
        Accounts.as(user, PASSWORD).body("{\"method\":\"creation_date\",\"value\":\"30d\"}").put("/api/v1/user/autoprunepolicy/" + uuid)
                .then().statusCode(200).body("value", equalTo("30d"));
        Accounts.as(user, PASSWORD).delete("/api/v1/user/autoprunepolicy/" + uuid).then().statusCode(204);
        // The administrator's own namespace is not the user's: the user's policy is not found there.
        apiError(given().get("/api/v1/user/autoprunepolicy/" + uuid).then(), 404, "not_found");
    }

    @Test
    void aRepositorysPoliciesAreItsOwnAndItsRunCoversItsNamespacesPoliciesToo() {
        String org = PruneApi.organization("repo");
        String repository = org + "/team/app";
        Registry.pushImage(repository, "a");
        Registry.pushImage(repository, "b");
        Registry.pushImage(org + "/other", "x");
        Registry.pushImage(org + "/other", "y");
        String base = "/api/v1/repository/" + repository + "/autoprunepolicy/";
        String own = given().contentType("application/json").body("{\"method\":\"number_of_tags\",\"value\":5}").post(base)
                .then().statusCode(201).body("repository", equalTo(repository)).extract().path("uuid");
        String namespaceWide = PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 1)
                .put("tagPattern", "^[ab]$"));
        given().get(base).then().statusCode(200).body("policies.uuid", equalTo(List.of(own)));
        given().get("/api/v1/organization/" + org + "/autoprunepolicy/").then().statusCode(200)
                .body("policies.uuid", equalTo(List.of(namespaceWide)));
        apiError(given().get("/api/v1/organization/" + org + "/autoprunepolicy/" + own).then(), 404, "not_found");
        apiError(given().get(base + namespaceWide).then(), 404, "not_found");
        PruneApi.pushedAgo(pool, repository, "a", 2);

        JsonPath run = given().post("/api/v1/repository/" + repository + "/autoprune/run").then().statusCode(200).extract().jsonPath();

        assertEquals(List.of(own, namespaceWide).stream().sorted().toList(), run.<String>getList("report.policies").stream().sorted().toList());
        assertEquals(List.of("a"), run.getList("report.tagsDeleted.tag"));
        assertEquals(repository, run.getString("repository"));
        assertEquals(List.of("x", "y"), PruneApi.tags(org + "/other"), "the repository's run leaves the others alone");
        given().get("/api/v1/repository/" + repository + "/autoprune/runs").then().statusCode(200).body("runs.id", hasItem(run.getString("id")));
        JsonPath dry = given().queryParam("dry_run", "true").post(base + own + "/run").then().statusCode(200).extract().jsonPath();
        assertEquals(true, dry.getBoolean("dryRun"));
        assertEquals(own, dry.getString("policy"));
        given().delete(base + own).then().statusCode(204);
    }

    @Test
    void wrongBodiesAreRefusedNamingTheField() {
        String org = PruneApi.organization("invalid");
        String base = "/api/v1/organization/" + org + "/autoprunepolicy/";
        refused(base, "{\"method\":\"keep_forever\",\"value\":1}", "method must be one of number_of_tags, creation_date");
        refused(base, "{\"value\":1}", "method is required");
        refused(base, "{\"method\":\"number_of_tags\"}", "value is required");
        refused(base, "{\"method\":\"number_of_tags\",\"value\":\"ten\"}", "value must be a number of tags");
        refused(base, "{\"method\":\"number_of_tags\",\"value\":0}", "value must be a number of tags");
        refused(base, "{\"method\":\"number_of_tags\",\"value\":1.5}", "value must be a number of tags");
        refused(base, "{\"method\":\"number_of_tags_pulled\",\"value\":-3}", "value must be a number of tags");
        refused(base, "{\"method\":\"creation_date\",\"value\":\"7x\"}", "value must be an age such as 12h, 7d or 2w");
        refused(base, "{\"method\":\"not_pulled_since\",\"value\":7}", "value must be an age");
        refused(base, "{\"method\":\"untagged_older_than\",\"value\":\"0d\"}", "value must be an age");
        refused(base, "{\"method\":\"creation_date\",\"value\":\"7d\",\"tagPattern\":\"([\"}", "tagPattern is not a valid regular expression");
        refused(base, "{\"method\":\"creation_date\",\"value\":\"7d\",\"includeTagPattern\":\"*\"}",
                "includeTagPattern is not a valid regular expression");
        refused(base, "{\"method\":\"creation_date\",\"value\":\"7d\",\"excludeTagPattern\":\"a{2,1}\"}",
                "excludeTagPattern is not a valid regular expression");
        refused(base, "{\"method\":\"creation_date\",\"value\":\"7d\",\"excludeTagPattern\":\"\"}", "excludeTagPattern must be");
        refused(base, "{\"method\":\"creation_date\",\"value\":\"7d\",\"tagPatternMatches\":false}", "tagPatternMatches needs a tagPattern");
        refused(base, "{\"method\":\"untagged_older_than\",\"value\":\"7d\",\"tagPattern\":\"x\"}", "do not apply to untagged_older_than");
        apiError(given().contentType("application/json").post(base).then(), 400, "invalid_request");
        apiError(given().contentType("application/json").body("{\"method\":").post(base).then(), 400, "invalid_request");
        apiError(given().contentType("application/json").body("{\"method\":[1]}").post(base).then(), 400, "invalid_request");
        apiError(given().get(base + "not-a-uuid").then(), 404, "not_found");
        apiError(given().get(base + UUID.randomUUID()).then(), 404, "not_found");
        apiError(given().queryParam("dry_run", "maybe").post("/api/v1/organization/" + org + "/autoprune/run").then(), 400, "invalid_request");
        apiError(given().post(base + UUID.randomUUID() + "/run").then(), 404, "not_found");
        apiError(given().get("/api/v1/organization/nosuchorg" + System.nanoTime() + "/autoprunepolicy/").then(), 404, "not_found");
        apiError(given().get("/api/v1/organization/" + org + "/autoprune/runs/" + UUID.randomUUID()).then(), 404, "not_found");
        String uuid = PruneApi.policy("organization/" + org, new JsonObject().put("method", "creation_date").put("value", "7d"));
        refused(base + uuid, "PUT", "{\"method\":\"creation_date\",\"value\":\"soon\"}", "value must be an age");
        given().get(base + uuid).then().statusCode(200).body("value", equalTo("7d"));
    }

    @Test
    void onlyWhoAdministersTheNamespaceOrRepositorySeesItsPolicies() {
        String org = PruneApi.organization("access");
        String outsider = "outsider" + Long.toHexString(System.nanoTime());
        Accounts.createUser(outsider, PASSWORD);
        String uuid = PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 3));
        Registry.pushImage(org + "/app", "v1");
        apiError(Accounts.as(outsider, PASSWORD).get("/api/v1/organization/" + org + "/autoprunepolicy/").then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).get("/api/v1/organization/" + org + "/autoprunepolicy/" + uuid).then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).post("/api/v1/organization/" + org + "/autoprune/run").then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).get("/api/v1/repository/" + org + "/app/autoprunepolicy/").then(), 404, "not_found");
        apiError(given().auth().none().get("/api/v1/user/autoprunepolicy/").then(), 401, "unauthorized");
        // A member who may only read is no administrator of the organization's policies.
        Accounts.setMember(org, outsider, "read");
        apiError(Accounts.as(outsider, PASSWORD).get("/api/v1/organization/" + org + "/autoprunepolicy/").then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).get("/api/v1/repository/" + org + "/app/autoprunepolicy/").then(), 403, "forbidden");
    }

    @Test
    void theDiscoveryDocumentListsTheEndpoints() {
        var document = given().auth().none().get("/api/v1/discovery").then().statusCode(200);
        for (String owner : List.of("/api/v1/organization/{org}", "/api/v1/user", "/api/v1/repository/{repository}")) {
            document.body("paths", hasKey(owner + "/autoprunepolicy"))
                    .body("paths", hasKey(owner + "/autoprunepolicy/{policy_uuid}"))
                    .body("paths", hasKey(owner + "/autoprunepolicy/{policy_uuid}/run"))
                    .body("paths", hasKey(owner + "/autoprune/run"))
                    .body("paths", hasKey(owner + "/autoprune/runs"));
        }
        document.body("paths.'/api/v1/organization/{org}/autoprunepolicy'.post.responses.'201'.description", equalTo("Created"))
                .body("paths.'/api/v1/organization/{org}/autoprunepolicy'.post.responses.'400'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/ApiError"))
                .body("paths.'/api/v1/organization/{org}/autoprune/runs/{run_id}'.get.responses", hasKey("200"));
    }

    private static void refused(String path, String body, String detail) {
        refused(path, "POST", body, detail);
    }

    private static void refused(String path, String method, String body, String detail) {
        apiError(given().contentType("application/json").body(body).request(method, path).then(), 400, "invalid_request")
                .body("detail", containsString(detail));
    }
}
