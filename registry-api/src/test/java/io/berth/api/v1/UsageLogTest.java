package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Tokens;
import io.berth.core.audit.UsageLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage log: pushes and pulls by real clients, tag changes and sign-ins, listed per repository and namespace. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class UsageLogTest {
    private static final String PASSWORD = "usage-password";

    @Inject
    UsageLog usageLog;

    @TempDir
    Path work;

    @Test
    void pushesPullsTagChangesAndSignInsAreLoggedWithWhoAndFromWhere() throws Exception {
        String user = "usage" + Long.toHexString(System.nanoTime());
        Accounts.createUser(user, PASSWORD);
        String repository = user + "/app";
        OciLayout layout = new OciLayout(work.resolve("layout"));
        layout.addImage("v1", "amd64", 1, 5_000);
        String image = "docker://localhost:" + RestAssured.port + "/" + repository + ":v1";
        Cli.run("skopeo", "copy", "--retry-times=0", "--dest-tls-verify=false", "--dest-creds", user + ":" + PASSWORD,
                layout.reference("v1"), image);
        Cli.run("skopeo", "copy", "--retry-times=0", "--src-tls-verify=false", "--src-creds", user + ":" + PASSWORD, image,
                "oci:" + work.resolve("back") + ":v1");
        Accounts.as(user, PASSWORD).delete("/api/v1/repository/" + repository + "/tag/v1").then().statusCode(200);
        String tokenId = Accounts.createAccessToken(user, PASSWORD, "ci", true, List.of()).getString("id");
        Accounts.as(user, PASSWORD).delete("/api/v1/tokens/" + tokenId).then().statusCode(204);
        Accounts.as(user, PASSWORD).body("{\"tags\":[\"gone\"]}").post("/api/v1/repository/" + repository + "/cleanup")
                .then().statusCode(200);
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, SECONDS);

        Accounts.as(user, PASSWORD).get("/api/v1/repository/" + repository + "/logs").then().statusCode(200)
                .body("logs.kind", hasItems("push_repo", "pull_repo", "delete_tag"))
                .body("logs[0].kind", equalTo("cleanup"))
                .body("logs[1].kind", equalTo("delete_tag"))
                .body("logs[1].performer.name", equalTo(user))
                .body("logs[1].ip", equalTo("127.0.0.1"))
                .body("logs[1].metadata.tag", equalTo("v1"))
                .body("logs.find { it.kind == 'push_repo' }.metadata.reference", equalTo("v1"))
                .body("logs.find { it.kind == 'push_repo' }.datetime", notNullValue())
                .body("next_page", nullValue());
        Accounts.as(user, PASSWORD).get("/api/v1/user/logs").then().statusCode(200)
                .body("logs.kind", hasItems("login", "create_access_token", "revoke_access_token"))
                .body("logs.find { it.kind == 'login' }.performer.name", equalTo(user));

        // Time bounds, in Quay's form and in ISO-8601.
        Accounts.as(user, PASSWORD).queryParam("endtime", "01/01/2020").get("/api/v1/repository/" + repository + "/logs").then()
                .body("logs", empty());
        Accounts.as(user, PASSWORD).queryParam("starttime", java.time.Instant.now().minusSeconds(3600).toString())
                .get("/api/v1/repository/" + repository + "/logs").then().body("logs.kind", hasItem("push_repo"));
        apiError(Accounts.as(user, PASSWORD).queryParam("starttime", "yesterday").get("/api/v1/repository/" + repository + "/logs")
                .then(), 400, "invalid_request");
        apiError(Accounts.as(user, PASSWORD).queryParam("next_page", "abc").get("/api/v1/repository/" + repository + "/logs").then(),
                400, "invalid_request");
    }

    @Test
    void logsArePagedPullsAreCountedAndOnlyAdministratorsReadThem() throws Exception {
        String org = "usageorg" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/busy";
        byte[] manifest = Registry.pushImage(repository, "v1");
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, SECONDS);
        String token = Tokens.fetch(Credentials.adminBasic(), "repository:" + repository + ":pull");
        for (int i = 0; i < 50; i++) {
            Tokens.bearer(token).get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        }
        for (int i = 0; i < 110; i++) {
            given().contentType("application/json").body("{\"manifest_digest\":\"" + Content.sha256(manifest) + "\"}")
                    .put("/api/v1/repository/" + repository + "/tag/t" + i).then().statusCode(200);
        }
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, SECONDS);
        String path = "/api/v1/repository/" + repository + "/logs";
        var first = given().get(path).then().statusCode(200).body("logs", hasSize(100)).body("next_page", notNullValue()).extract();
        String next = first.path("next_page");
        var second = given().queryParam("next_page", next).get(path).then().statusCode(200)
                .body("next_page", nullValue()).extract();
        List<Map<String, Object>> all = new ArrayList<>(first.path("logs"));
        all.addAll(second.path("logs"));
        long changes = all.stream().filter(log -> "change_tag".equals(log.get("kind"))).count();
        long pulls = all.stream().filter(log -> "pull_repo".equals(log.get("kind")))
                .mapToLong(log -> ((Number) ((Map<?, ?>) log.get("metadata")).get("count")).longValue()).sum();
        assertEquals(110, changes);
        // Identical pulls between two writes are one entry with a count.
        assertEquals(50, pulls);
        assertTrue(all.stream().filter(log -> "pull_repo".equals(log.get("kind"))).count() < 50);
        given().get("/api/v1/organization/" + org + "/logs").then().statusCode(200).body("logs", hasSize(100))
                .body("logs[0].repository", equalTo(repository));

        String robot = Accounts.createRobot(org, "reader");
        Accounts.grant(repository, org + "+reader", "read");
        apiError(given().auth().preemptive().basic(org + "+reader", robot).get(path).then(), 403, "forbidden");
        String stranger = "stranger" + Long.toHexString(System.nanoTime());
        Accounts.createUser(stranger, PASSWORD);
        apiError(Accounts.as(stranger, PASSWORD).get(path).then(), 404, "not_found");
        apiError(Accounts.as(stranger, PASSWORD).get("/api/v1/organization/" + org + "/logs").then(), 403, "forbidden");
    }
}
