package io.berth.api.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Releases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A release of 200 images over 20 repositories into 20 new ones: it takes seconds (measured and
 * logged; the bound is generous for a loaded machine), and its progress is seen moving meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ReleaseProgressTest {
    private static final Logger LOG = Logger.getLogger(ReleaseProgressTest.class);
    private static final int REPOSITORIES = 20;
    private static final int IMAGES_EACH = 10;
    private static final long BOUND_SECONDS = 60;

    @Test
    void twoHundredImagesAreReleasedInSecondsWithProgressMoving() {
        String namespace = "bulk" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        JsonArray items = new JsonArray();
        Map<String, String> expected = new HashMap<>();
        for (int r = 0; r < REPOSITORIES; r++) {
            for (int i = 0; i < IMAGES_EACH; i++) {
                String source = namespace + "/service" + r;
                String digest = Content.sha256(Registry.pushImage(source, "build" + i));
                String target = namespace + "/release/service" + r;
                items.add(Releases.image(source + ":build" + i, target + ":v" + i));
                expected.put(target + ":v" + i, digest);
            }
        }

        long started = System.nanoTime();
        String id = Releases.create("v200", items);
        List<Integer> seen = new ArrayList<>();
        JsonPath release;
        long deadline = started + TimeUnit.SECONDS.toNanos(BOUND_SECONDS * 2);
        do {
            release = Releases.get(id);
            seen.add(release.getInt("progress.success_count"));
            Releases.sleep(20);
        } while (release.getString("status").equals("creating") && System.nanoTime() < deadline);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        LOG.infof("release of %d images over %d repositories: %d ms (polled %d times, progress %s)", items.size(), REPOSITORIES,
                elapsedMillis, seen.size(), seen);

        assertEquals("success", release.getString("status"), release.getString("error"));
        assertEquals(items.size(), release.getInt("progress.success_count"));
        assertEquals(items.size(), release.getInt("progress.total_count"));
        assertTrue(elapsedMillis < TimeUnit.SECONDS.toMillis(BOUND_SECONDS), "took " + elapsedMillis + " ms");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "progress never goes back: " + seen);
        }
        assertTrue(seen.stream().anyMatch(count -> count > 0 && count < items.size()), "progress seen between 0 and the end: " + seen);
        for (int r = 0; r < REPOSITORIES; r += 7) {
            String target = namespace + "/release/service" + r;
            assertEquals(expected.get(target + ":v3"), Releases.digestOf(target, "v3"));
        }
    }
}
