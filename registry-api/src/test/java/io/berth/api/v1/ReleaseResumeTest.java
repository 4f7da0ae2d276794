package io.berth.api.v1;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Releases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node that dies mid-release: its release stays {@code creating} with half its items done and a
 * lease nobody renews. While the lease holds, no other node touches it; once it has lapsed, a
 * worker here takes it over and copies the rest, leaving what was done as it was.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ReleaseResumeTest {
    private static final int ITEMS = 6;

    @Inject
    Pool pool;

    @Test
    void aReleaseWhoseNodeDiedIsTakenOverOnceItsLeaseLapses() throws Exception {
        String namespace = "resume" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        JsonArray items = new JsonArray();
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            digests.add(Content.sha256(Registry.pushImage(namespace + "/app" + i, "1.0")));
            items.add(Releases.image(namespace + "/app" + i + ":1.0", namespace + "/release/app" + i + ":v1"));
        }
        String id = Releases.create("v1", items);
        assertEquals("success", Releases.await(id).getString("status"));

        // As a node that died after the first half: the second half's copies never committed (no
        // tag, item waiting), and its lease, held for a few seconds more, is never renewed.
        for (int i = ITEMS / 2; i < ITEMS; i++) {
            given().delete("/api/v1/repository/" + namespace + "/release/app" + i + "/tag/v1").then().statusCode(200);
        }
        UUID release = UUID.fromString(id);
        await(pool.withTransaction(c -> c.preparedQuery("UPDATE releases SET status = 'creating', finished_at = NULL,"
                        + " lease_owner = 'a-node-that-died', lease_until = now() + interval '3 seconds' WHERE id = $1")
                .execute(Tuple.of(release))
                .compose(updated -> c.preparedQuery("UPDATE release_items SET status = 'waiting', tagged = false, digest = NULL"
                        + " WHERE release_id = $1 AND position >= $2").execute(Tuple.of(release, ITEMS / 2)))));
        List<OffsetDateTime> doneBefore = updatedTimes(release);

        JsonPath halfDone = Releases.get(id);
        assertEquals("creating", halfDone.getString("status"));
        assertEquals(ITEMS / 2, halfDone.getInt("progress.success_count"));
        assertEquals("uploading", halfDone.getString("progress.upload_status"));
        assertEquals(List.of(true, true, true, false, false, false), halfDone.getList("items.tagged"));
        // The lease still holds: the workers polling every second leave the release to its owner.
        Releases.sleep(1_500);
        assertEquals(ITEMS / 2, Releases.get(id).getInt("progress.success_count"));
        given().get("/v2/" + namespace + "/release/app" + (ITEMS - 1) + "/manifests/v1").then().statusCode(404);

        JsonPath resumed = Releases.await(id);
        assertEquals("success", resumed.getString("status"), resumed.prettify());
        assertEquals(ITEMS, resumed.getInt("progress.success_count"));
        for (int i = 0; i < ITEMS; i++) {
            assertEquals(digests.get(i), Releases.digestOf(namespace + "/release/app" + i, "v1"));
        }
        assertEquals(doneBefore, updatedTimes(release), "the items the dead node had done are not done again");
    }

    /** When the first half of the items was last written. */
    private List<OffsetDateTime> updatedTimes(UUID release) throws Exception {
        List<OffsetDateTime> times = new ArrayList<>();
        for (Row row : await(pool.preparedQuery("SELECT updated_at FROM release_items WHERE release_id = $1 AND position < $2"
                + " ORDER BY position").execute(Tuple.of(release, ITEMS / 2)))) {
            times.add(row.getOffsetDateTime(0));
        }
        return times;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
