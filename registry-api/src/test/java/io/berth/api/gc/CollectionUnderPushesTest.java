package io.berth.api.gc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Skopeo;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcProgress;
import io.berth.core.gc.GcScope;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Collection running in a loop with no review delay while skopeo pushes images whose layers were
 * released moments before: each round pushes a throw-away image, deletes it (its layers are then
 * due for collection at once) and pushes a kept image reusing those layers. Whether a layer is
 * found by HEAD (and so postponed) or already collected (and so uploaded again), every kept image
 * must afterwards pull and verify with skopeo, and the registry must never have answered 500.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(ConcurrentPushProfile.class)
class CollectionUnderPushesTest {
    private static final int PUSHES = 50;
    private static final int PARALLEL = 4;

    @Inject
    GarbageCollector collector;

    @Test
    void everyImagePushedWhileCollectionRunsPullsAndVerifies() throws Exception {
        String repo = "gcload/r" + Long.toHexString(System.nanoTime());
        Path work = Files.createTempDirectory("gc-under-pushes-");
        AtomicBoolean pushing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> collectionFailures = new ConcurrentLinkedQueue<>();
        GcProgress progress = collector.newProgress();
        Thread collection = new Thread(() -> {
            while (pushing.get()) {
                try {
                    GcApi.completed(collector.collectDue(GcScope.REGISTRY, progress, GarbageCollector.Listener.NONE));
                } catch (RuntimeException e) {
                    collectionFailures.add(e);
                }
            }
        }, "test-gc-loop");
        collection.start();

        ExecutorService clients = Executors.newFixedThreadPool(PARALLEL);
        List<Future<?>> rounds = new ArrayList<>();
        try {
            for (int i = 0; i < PUSHES; i++) {
                int round = i;
                rounds.add(clients.submit(() -> round(repo, work.resolve("round-" + round), round)));
            }
            for (Future<?> round : rounds) {
                round.get(10, TimeUnit.MINUTES);
            }
            // Collection goes on until the last throw-away image's blobs are past their safety window.
            Thread.sleep(ConcurrentPushProfile.SAFETY_WINDOW_MILLIS + 2000);
        } finally {
            pushing.set(false);
            clients.shutdownNow();
            collection.join(TimeUnit.MINUTES.toMillis(1));
        }

        assertTrue(collectionFailures.isEmpty(), () -> "collection failed: " + collectionFailures);
        assertTrue(progress.blobsDeleted() >= PUSHES, "collection deleted the throw-away layers as it went: " + progress.blobsDeleted());
        for (int i = 0; i < PUSHES; i++) {
            Skopeo.pull(repo + ":kept-" + i, work.resolve("pulled"));
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count") && line.contains("status=\"5")),
                "no request failed on the server's side");
        assertEquals(0, collectionFailures.size());
    }

    /** Pushes a throw-away image, deletes it, and pushes the kept image that reuses its two shared layers. */
    private static void round(String repo, Path layoutDir, int round) {
        OciLayout layout = new OciLayout(layoutDir);
        List<byte[]> shared = List.of(Content.random(48_000), Content.random(24_000));
        layout.addImage("throwaway", "amd64", List.of(shared.get(0), shared.get(1), Content.random(8_000)));
        layout.addImage("kept", "amd64", List.of(shared.get(0), shared.get(1), Content.random(16_000)));
        Skopeo.copyAll(layout.reference("throwaway"), repo + ":throwaway-" + round);
        String digest = given().head("/v2/" + repo + "/manifests/throwaway-" + round).then().statusCode(200)
                .extract().header("Docker-Content-Digest");
        given().delete("/v2/" + repo + "/manifests/" + digest).then().statusCode(202);
        Skopeo.copyAll(layout.reference("kept"), repo + ":kept-" + round);
    }
}
