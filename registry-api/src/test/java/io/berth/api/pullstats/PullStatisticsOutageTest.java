package io.berth.api.pullstats;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.InjectPostgres;
import io.berth.api.testing.PostgresControl;
import io.berth.api.testing.Registry;
import io.berth.core.pullstats.PullStatistics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The periodic write while PostgreSQL is away: pulls served from the cache meanwhile are counted,
 * the writes that fail keep them, and once the database is back they all reach it, none lost and
 * none twice.
 */
@QuarkusTest
@TestProfile(PullStatisticsOutageTest.FrequentWrites.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class PullStatisticsOutageTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);

    public static class FrequentWrites implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.pull-statistics.flush-interval", INTERVAL.toMillis() + "ms", "berth.database.acquire-timeout", "2s");
        }
    }

    @InjectPostgres
    PostgresControl postgres;

    @Inject
    PullStatistics statistics;

    @Test
    void pullsCountedDuringAnOutageAreWrittenOnceTheDatabaseIsBack() throws Exception {
        String repository = Content.uniqueRepository("outage");
        String digest = Content.sha256(Registry.pushImage(repository, "v1"));
        String manifests = "/v2/" + repository + "/manifests/";
        // One pull of each reference, written by the schedule; both are cached from here on.
        pull(manifests + "v1");
        pull(manifests + digest);
        awaitPulls(repository, 1, 2);
        long flushes = statistics.flushes();

        postgres.stop();
        try {
            for (int i = 0; i < 25; i++) {
                pull(manifests + "v1");
                pull(manifests + digest);
            }
            // Several periodic writes fail meanwhile; what they took is kept.
            Thread.sleep(INTERVAL.toMillis() * 10);
            assertEquals(flushes, statistics.flushes(), "no write succeeded without the database");
            assertEquals(2, statistics.pending(), "the manifest and the tag still wait");
        } finally {
            postgres.start();
        }
        awaitPulls(repository, 26, 52);
        // And stay there: nothing written twice by a later write.
        Thread.sleep(INTERVAL.toMillis() * 5);
        assertEquals(List.of(26, 52), pulls(repository));
        assertEquals(0, statistics.dropped());
    }

    private static void pull(String path) {
        given().accept(Registry.OCI_MANIFEST).get(path).then().statusCode(200);
    }

    /** The tag's and the manifest's pull counts, as listed; waits for the schedule to write them. */
    private static void awaitPulls(String repository, int tagPulls, int manifestPulls) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Integer> seen = List.of();
        while (System.nanoTime() < deadline) {
            try {
                seen = pulls(repository);
                if (seen.equals(List.of(tagPulls, manifestPulls))) {
                    return;
                }
            } catch (AssertionError notYet) {
                // the database is still coming back
            }
            Thread.sleep(100);
        }
        fail("pull counts " + seen + ", expected " + List.of(tagPulls, manifestPulls));
    }

    private static List<Integer> pulls(String repository) {
        int tag = given().get("/api/v1/repository/" + repository + "/tag/").then().statusCode(200).extract().path("tags[0].pullCount");
        int manifest = given().get("/api/v1/repository/" + repository + "/image").then().statusCode(200)
                .extract().path("images[0].pullCount");
        return List.of(tag, manifest);
    }
}
