package io.berth.api.autoprune;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The schedule prunes every namespace with policies by itself, records the run with its report
 * and logs the deletions; a namespace another node is pruning is skipped until that run ends.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(ScheduledPruningProfile.class)
class ScheduledPruningTest {
    private static final long WAIT_SECONDS = 60;

    @Inject
    Pool pool;

    @Inject
    UsageLog usageLog;

    private String prunable(String prefix) {
        String org = PruneApi.organization(prefix);
        for (String tag : List.of("one", "two", "three")) {
            Registry.pushImage(org + "/app", tag);
        }
        PruneApi.pushedAgo(pool, org + "/app", "one", 3);
        PruneApi.pushedAgo(pool, org + "/app", "two", 2);
        PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 1));
        return org;
    }

    @Test
    void theScheduleRunsPoliciesAndSkipsANamespaceAnotherNodeIsPruning() throws Exception {
        String busy = PruneApi.organization("elsewhere");
        UUID elsewhere = UUID.randomUUID();
        // Another node's run, already going when the policies appear, kept alive as that node would.
        PruneApi.query(pool, "INSERT INTO autoprune_runs (id, namespace_id, trigger, status, requested_by) VALUES ($1, $2, 'schedule',"
                + " 'running', 'another node')", elsewhere, PruneApi.namespaceId(pool, busy));
        for (String tag : List.of("one", "two", "three")) {
            Registry.pushImage(busy + "/app", tag);
        }
        PruneApi.policy("organization/" + busy, new JsonObject().put("method", "number_of_tags").put("value", 1));
        String org = prunable("scheduled");

        awaitWhileAlive(elsewhere, () -> PruneApi.tags(org + "/app").equals(List.of("three")));

        JsonPath runs = given().get("/api/v1/organization/" + org + "/autoprune/runs").then().statusCode(200).extract().jsonPath();
        Map<String, Object> run = runs.<Map<String, Object>>getList("runs").stream()
                .filter(candidate -> ((Number) candidate.get("tagsDeleted")).intValue() == 2).findFirst().orElseThrow();
        assertEquals("schedule", run.get("trigger"));
        assertEquals("succeeded", run.get("status"));
        assertNull(run.get("requestedBy"));
        given().get("/api/v1/organization/" + org + "/autoprune/runs/" + run.get("id")).then().statusCode(200)
                .body("report.tagsDeleted.tag", Matchers.containsInAnyOrder("one", "two"))
                .body("finishedAt", Matchers.notNullValue());
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        given().get("/api/v1/repository/" + org + "/app/logs").then().statusCode(200)
                .body("logs.findAll { it.kind == 'autoprune_tag_delete' }.metadata.tag", Matchers.containsInAnyOrder("one", "two"));
        // Several passes went by: the busy namespace was skipped each time.
        assertEquals(List.of("one", "three", "two"), PruneApi.tags(busy + "/app"));
        assertEquals(0, PruneApi.query(pool, "SELECT 1 FROM autoprune_runs r WHERE r.namespace_id = $1 AND r.id <> $2",
                PruneApi.namespaceId(pool, busy), elsewhere).size());

        PruneApi.query(pool, "UPDATE autoprune_runs SET status = 'succeeded', finished_at = now() WHERE id = $1", elsewhere);
        await(() -> PruneApi.tags(busy + "/app").size() == 1);
    }

    /** Waits for {@code done}, writing signs of life of the other node's run meanwhile. */
    private void awaitWhileAlive(UUID run, BooleanSupplier done) {
        await(() -> {
            PruneApi.query(pool, "UPDATE autoprune_runs SET updated_at = now() WHERE id = $1", run);
            return done.getAsBoolean();
        });
    }

    private static void await(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("not done within " + WAIT_SECONDS + " s");
    }
}
