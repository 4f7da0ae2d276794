package io.berth.api.v1;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Robot accounts through Quay's endpoints: create, get, list, permissions, regenerate, delete, and signing in with them. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class RobotApiTest {

    @Test
    void anOrganizationRobotLivesThroughEveryOperation() {
        String org = unique("robots");
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/app";
        Registry.pushImage(repository, "v1");

        String token = Accounts.asAdmin().body("{\"description\":\"deploys\",\"unstructured_metadata\":{\"team\":\"ops\"}}")
                .put("/api/v1/organization/" + org + "/robots/deployer").then().statusCode(201)
                .body("name", equalTo(org + "+deployer"))
                .body("description", equalTo("deploys"))
                .body("unstructured_metadata.team", equalTo("ops"))
                .body("created", notNullValue())
                .body("token", notNullValue())
                .extract().path("token");
        apiError(Accounts.asAdmin().body("{}").put("/api/v1/organization/" + org + "/robots/deployer").then(), 409, "conflict");

        // The token is shown once: reads never show it again.
        Accounts.asAdmin().get("/api/v1/organization/" + org + "/robots/deployer").then().statusCode(200)
                .body("name", equalTo(org + "+deployer"))
                .body("$", not(hasKey("token")))
                .body("last_accessed", nullValue());

        Accounts.grant(repository, org + "+deployer", "write");
        Accounts.asAdmin().get("/api/v1/organization/" + org + "/robots/deployer/permissions").then().statusCode(200)
                .body("permissions.repository", contains(repository))
                .body("permissions.role", contains("write"));
        Accounts.asAdmin().body("{}").put("/api/v1/organization/" + org + "/robots/reader").then().statusCode(201);
        Accounts.asAdmin().queryParam("permissions", true).get("/api/v1/organization/" + org + "/robots").then().statusCode(200)
                .body("robots.name", contains(org + "+deployer", org + "+reader"))
                .body("robots[0].repositories.repository", contains(repository))
                .body("robots[1].repositories", empty());
        Accounts.asAdmin().queryParam("limit", 1).get("/api/v1/organization/" + org + "/robots").then().statusCode(200)
                .body("robots.name", contains(org + "+deployer"));

        // Both spellings of the robot's name sign in; it may push where it has write.
        String jwt = Tokens.fetch(Credentials.basic(org + "+deployer", token), "repository:" + repository + ":pull,push");
        Tokens.bearer(jwt).post("/v2/" + repository + "/blobs/uploads/").then().statusCode(202);
        Tokens.fetch(Credentials.basic("robot$" + org + "+deployer", token), "repository:" + repository + ":pull");
        Accounts.asAdmin().get("/api/v1/organization/" + org + "/robots/deployer").then().body("last_accessed", notNullValue());

        String regenerated = Accounts.asAdmin().post("/api/v1/organization/" + org + "/robots/deployer/regenerate")
                .then().statusCode(200).body("name", equalTo(org + "+deployer")).extract().path("token");
        assertNotEquals(token, regenerated);
        ociError(given().auth().none().header("Authorization", Credentials.basic(org + "+deployer", token))
                .get("/v2/token").then(), 401, "UNAUTHORIZED");
        Tokens.fetch(Credentials.basic(org + "+deployer", regenerated), "repository:" + repository + ":pull");

        Accounts.asAdmin().delete("/api/v1/organization/" + org + "/robots/deployer").then().statusCode(204);
        apiError(Accounts.asAdmin().get("/api/v1/organization/" + org + "/robots/deployer").then(), 404, "not_found");
        apiError(Accounts.asAdmin().delete("/api/v1/organization/" + org + "/robots/deployer").then(), 404, "not_found");
        ociError(given().auth().none().header("Authorization", Credentials.basic(org + "+deployer", regenerated))
                .get("/v2/token").then(), 401, "UNAUTHORIZED");
    }

    @Test
    void aReadOnlyRobotCanPullButNotPushOrDelete() {
        String org = unique("readers");
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/app";
        byte[] manifest = Registry.pushImage(repository, "v1");
        String token = Accounts.createRobot(org, "puller");
        Accounts.grant(repository, org + "+puller", "read");

        String jwt = Tokens.fetch(Credentials.basic(org + "+puller", token), "repository:" + repository + ":pull,push,delete");
        Tokens.bearer(jwt).get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        ociError(Tokens.bearer(jwt).post("/v2/" + repository + "/blobs/uploads/").then(), 403, "DENIED");
        ociError(Tokens.bearer(jwt).delete("/v2/" + repository + "/manifests/" + Content.sha256(manifest)).then(),
                403, "DENIED");
        // Nor may it manage anything.
        apiError(given().auth().preemptive().basic(org + "+puller", token).delete("/api/v1/repository/" + repository
                + "/permissions/user/" + org + "+puller").then(), 403, "forbidden");
        apiError(given().auth().preemptive().basic(org + "+puller", token).get("/api/v1/organization/" + org + "/robots").then(),
                403, "forbidden");
    }

    @Test
    void aUserHasRobotsOfTheirOwn() {
        String user = unique("owner");
        Accounts.createUser(user, "owner-password");
        String token = Accounts.as(user, "owner-password").body("{}").put("/api/v1/user/robots/builder").then().statusCode(201)
                .body("name", equalTo(user + "+builder")).extract().path("token");
        Accounts.as(user, "owner-password").get("/api/v1/user/robots").then().statusCode(200)
                .body("robots.name", contains(user + "+builder"));
        Accounts.as(user, "owner-password").get("/api/v1/user/robots/builder").then().statusCode(200)
                .body("$", not(hasKey("token")));
        Registry.pushImage(user + "/tool", "v1");
        Accounts.as(user, "owner-password").body("{\"role\":\"read\"}")
                .put("/api/v1/repository/" + user + "/tool/permissions/user/" + user + "+builder").then().statusCode(200)
                .body("is_robot", equalTo(true));
        Accounts.as(user, "owner-password").get("/api/v1/user/robots/builder/permissions").then().statusCode(200)
                .body("permissions.repository", contains(user + "/tool"));
        Tokens.bearer(Tokens.fetch(Credentials.basic(user + "+builder", token), "repository:" + user + "/tool:pull"))
                .get("/v2/" + user + "/tool/manifests/v1").then().statusCode(200);
        String fresh = Accounts.as(user, "owner-password").post("/api/v1/user/robots/builder/regenerate").then().statusCode(200)
                .extract().path("token");
        assertNotEquals(token, fresh);
        Accounts.as(user, "owner-password").delete("/api/v1/user/robots/builder").then().statusCode(204);
        Accounts.as(user, "owner-password").get("/api/v1/user/robots").then().body("robots", empty());
    }

    @Test
    void robotsAreManagedOnlyByTheirNamespacesAdministrators() {
        String org = unique("guarded");
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String member = unique("member");
        Accounts.createUser(member, "member-password");
        Accounts.setMember(org, member, "write");
        apiError(Accounts.as(member, "member-password").body("{}").put("/api/v1/organization/" + org + "/robots/sneaky").then(),
                403, "forbidden");
        Accounts.setMember(org, member, "admin");
        Accounts.as(member, "member-password").body("{}").put("/api/v1/organization/" + org + "/robots/allowed").then().statusCode(201);

        apiError(Accounts.asAdmin().body("{}").put("/api/v1/organization/" + org + "/robots/Bad-Name").then(), 400, "invalid_request");
        apiError(Accounts.asAdmin().body("{}").put("/api/v1/organization/nosuchorg" + org + "/robots/fine").then(), 404, "not_found");
        apiError(Accounts.asAdmin().body("{\"unstructured_metadata\":[1]}").put("/api/v1/organization/" + org + "/robots/meta").then(),
                400, "invalid_request");
        apiError(Accounts.asAdmin().body("{not json").put("/api/v1/organization/" + org + "/robots/broken").then(), 400, "invalid_request");
        apiError(given().auth().none().get("/api/v1/organization/" + org + "/robots").then(), 401, "unauthorized")
                .header("WWW-Authenticate", equalTo("Basic realm=\"berth\""));
    }

    private static String unique(String prefix) {
        return prefix + Long.toHexString(System.nanoTime());
    }
}
