package io.berth.api.autoprune;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One run per namespace at a time, whichever node or request starts it; a run whose node died stops counting. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(PruningProfile.class)
class RunCoordinationTest {
    @Inject
    Pool pool;

    @Test
    void aRunOfANamespaceAnotherNodeIsPruningIsRefusedUntilThatRunEndsOrIsFoundStale() {
        String org = PruneApi.organization("busy");
        Registry.pushImage(org + "/app", "old");
        Registry.pushImage(org + "/app", "new");
        PruneApi.pushedAgo(pool, org + "/app", "old", 2);
        PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 1));
        UUID elsewhere = UUID.randomUUID();
        PruneApi.query(pool, "INSERT INTO autoprune_runs (id, namespace_id, trigger, status, requested_by) VALUES ($1, $2, 'schedule',"
                + " 'running', 'another node')", elsewhere, PruneApi.namespaceId(pool, org));

        apiError(given().post("/api/v1/organization/" + org + "/autoprune/run").then(), 409, "conflict")
                .body("detail", containsString("an auto-prune run of " + org + " is going on"));
        assertEquals(List.of("new", "old"), PruneApi.tags(org + "/app"));

        // Its node stopped writing signs of life longer ago than the stale time (10 minutes by default).
        PruneApi.query(pool, "UPDATE autoprune_runs SET updated_at = now() - interval '11 minutes' WHERE id = $1", elsewhere);
        JsonPath run = PruneApi.run("organization/" + org, null, false);

        assertEquals("succeeded", run.getString("status"));
        assertEquals(List.of("old"), run.getList("report.tagsDeleted.tag"));
        JsonPath stale = given().get("/api/v1/organization/" + org + "/autoprune/runs/" + elsewhere).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("failed", stale.getString("status"));
        assertEquals("the node running it stopped before it finished", stale.getString("error"));
    }

    @Test
    void ofRunsStartedTogetherOnlyOneRunsAtATime() throws Exception {
        String org = PruneApi.organization("together");
        for (int i = 0; i < 12; i++) {
            Registry.pushImage(org + "/app", "t" + i);
            PruneApi.pushedAgo(pool, org + "/app", "t" + i, 20 - i);
        }
        PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 2));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<io.restassured.response.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Callable<io.restassured.response.Response> run = () -> given().post("/api/v1/organization/" + org + "/autoprune/run");
                answers.add(clients.submit(run));
            }
            int deleted = 0;
            int succeeded = 0;
            for (Future<io.restassured.response.Response> answer : answers) {
                io.restassured.response.Response response = answer.get();
                if (response.statusCode() == 200) {
                    succeeded++;
                    deleted += response.jsonPath().getInt("tagsDeleted");
                } else {
                    apiError(response.then(), 409, "conflict");
                }
            }
            // However they interleaved: every tag deleted once, by one run, and at least one run ran.
            assertEquals(10, deleted);
            assertEquals(true, succeeded >= 1);
        } finally {
            clients.shutdownNow();
        }
        assertEquals(List.of("t10", "t11"), PruneApi.tags(org + "/app"));
        assertEquals(0, PruneApi.query(pool, "SELECT 1 FROM autoprune_runs r JOIN namespaces n ON n.id = r.namespace_id"
                + " WHERE n.name = $1 AND r.status = 'running'", org).size());
    }
}
