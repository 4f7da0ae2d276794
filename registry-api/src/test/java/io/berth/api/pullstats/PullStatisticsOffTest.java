package io.berth.api.pullstats;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.core.pullstats.PullStatistics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With {@code berth.pull-statistics.enabled=false} pulls are served as ever and nothing is counted or written. */
@QuarkusTest
@TestProfile(PullStatisticsOffTest.Off.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class PullStatisticsOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.pull-statistics.enabled", "false", "berth.pull-statistics.flush-interval", "100ms");
        }
    }

    @Inject
    PullStatistics statistics;

    @Test
    void pullsAreServedAndNothingIsCounted() throws Exception {
        String repository = Content.uniqueRepository("off");
        String digest = Content.sha256(Registry.pushImage(repository, "v1"));
        for (int i = 0; i < 20; i++) {
            given().accept(Registry.OCI_MANIFEST).get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
            given().accept(Registry.OCI_MANIFEST).get("/v2/" + repository + "/manifests/" + digest).then().statusCode(200);
        }
        assertFalse(statistics.enabled());
        assertEquals(0, statistics.pending());
        assertEquals(0, statistics.counted());
        // Several intervals of the periodic write, had it been on, and an explicit one.
        Thread.sleep(500);
        statistics.flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        given().get("/api/v1/repository/" + repository + "/tag/").then().statusCode(200)
                .body("tags.pullCount", contains(0)).body("tags[0].lastPulled", nullValue());
        given().get("/api/v1/repository/" + repository + "/image").then().statusCode(200)
                .body("images.pullCount", contains(0)).body("images[0].lastPulled", nullValue());
    }
}
