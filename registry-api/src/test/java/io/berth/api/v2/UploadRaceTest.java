package io.berth.api.v2;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Requests racing on one upload session, released together: exactly one request completes it, the
 * others are told the session is busy or gone (4xx, never a 5xx), and the blob stored is the one
 * the winner's digest names, byte for byte.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class UploadRaceTest {
    private static final int ROUNDS = 30;
    private static final Set<String> LOSING_CODES = Set.of("BLOB_UPLOAD_UNKNOWN", "BLOB_UPLOAD_INVALID", "DIGEST_INVALID",
            "RANGE_INVALID");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ExecutorService RACERS = Executors.newFixedThreadPool(8);

    /** One request of a race, and what it answered. */
    private record Racer(String method, String path, byte[] body) {
    }

    private record Outcome(Racer racer, int status, String code) {
        @Override
        public String toString() {
            return racer.method() + " " + status + (code == null ? "" : " " + code);
        }
    }

    @AfterAll
    static void stopRacers() {
        RACERS.shutdownNow();
    }

    @Test
    void concurrentFinalPutsCompleteTheSessionExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            assertOneOfRacingPutsCompletes(Content.random(64 * 1024 + round), new byte[0], 4 + round % 5);
        }
    }

    @Test
    void finalPutsWithTheLastChunkCompleteTheSessionExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            assertOneOfRacingPutsCompletes(Content.random(40_000), Content.random(30_000 + round), 4 + round % 3);
        }
    }

    /** {@code putters} final PUTs, each with {@code tail} as its body, race to complete a session holding {@code head}. */
    private static void assertOneOfRacingPutsCompletes(byte[] head, byte[] tail, int putters) throws Exception {
        String repo = Content.uniqueRepository("race");
        byte[] blob = concat(head, tail);
        String digest = Content.sha256(blob);
        String location = patched(start(repo), head);
        List<Racer> racers = new ArrayList<>();
        for (int i = 0; i < putters; i++) {
            racers.add(new Racer("PUT", location + "?digest=" + digest, tail.length == 0 ? null : tail));
        }
        List<Outcome> outcomes = race(racers);
        assertEquals(1, outcomes.stream().filter(o -> o.status() == 201).count(), outcomes::toString);
        assertLosersAre4xx(outcomes);
        assertStored(repo, digest, blob);
    }

    @Test
    void aPatchRacingTheFinalPutNeverCorruptsTheBlob() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String repo = Content.uniqueRepository("race");
            byte[] blob = Content.random(50_000 + round);
            String digest = Content.sha256(blob);
            String location = patched(start(repo), blob);
            List<Racer> racers = List.of(new Racer("PUT", location + "?digest=" + digest, null),
                    new Racer("PATCH", location, Content.random(200_000)),
                    new Racer("PUT", location + "?digest=" + digest, null),
                    new Racer("PATCH", location, Content.random(10)));
            List<Outcome> outcomes = race(racers);
            assertTrue(outcomes.stream().filter(o -> o.racer().method().equals("PUT") && o.status() == 201).count() <= 1,
                    outcomes::toString);
            assertLosersAre4xx(outcomes);
            if (outcomes.stream().anyMatch(o -> o.status() == 201)) {
                assertStored(repo, digest, blob);
            }
        }
    }

    @Test
    void aCancelRacingFinalPutsLeavesOneWinner() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String repo = Content.uniqueRepository("race");
            byte[] blob = Content.random(20_000 + round);
            String digest = Content.sha256(blob);
            String location = patched(start(repo), blob);
            List<Racer> racers = List.of(new Racer("PUT", location + "?digest=" + digest, null),
                    new Racer("DELETE", location, null),
                    new Racer("PUT", location + "?digest=" + digest, null),
                    new Racer("PATCH", location, Content.random(1000)),
                    new Racer("DELETE", location, null));
            List<Outcome> outcomes = race(racers);
            long completed = outcomes.stream().filter(o -> o.status() == 201).count();
            long cancelled = outcomes.stream().filter(o -> o.status() == 204).count();
            assertTrue(completed + cancelled <= 1, outcomes::toString);
            assertLosersAre4xx(outcomes);
            if (completed == 1) {
                assertStored(repo, digest, blob);
            } else {
                given().when().head("/v2/" + repo + "/blobs/" + digest).then().statusCode(404);
            }
            boolean dropped = outcomes.stream().anyMatch(o -> "DIGEST_INVALID".equals(o.code()));
            if (completed + cancelled == 0) {
                // The PATCH held the session while the others came and alone went through; a PUT that came
                // after it found more data than its digest names, and dropped the session as the spec says.
                assertTrue(outcomes.stream().anyMatch(o -> o.racer().method().equals("PATCH") && o.status() == 202), outcomes::toString);
                given().when().get(location).then().statusCode(dropped ? 404 : 204);
            } else {
                given().when().get(location).then().statusCode(404);
            }
        }
    }

    private static List<Outcome> race(List<Racer> racers) throws Exception {
        CyclicBarrier start = new CyclicBarrier(racers.size());
        List<Future<Outcome>> running = new ArrayList<>();
        for (Racer racer : racers) {
            running.add(RACERS.submit(() -> {
                HttpRequest request = Credentials.signedIn(URI.create("http://localhost:" + RestAssured.port + racer.path()))
                        .method(racer.method(), racer.body() == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(racer.body()))
                        .header("Content-Type", "application/octet-stream").build();
                start.await(10, TimeUnit.SECONDS);
                HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
                String code = response.body().isEmpty() ? null
                        : new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code");
                return new Outcome(racer, response.statusCode(), code);
            }));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> outcome : running) {
            outcomes.add(outcome.get(60, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** Every request that did not win was told why in the protocol's terms. */
    private static void assertLosersAre4xx(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            if (outcome.status() >= 300) {
                assertTrue(outcome.status() < 500 && LOSING_CODES.contains(outcome.code()), outcomes::toString);
            }
        }
    }

    private static void assertStored(String repo, String digest, byte[] blob) {
        byte[] stored = given().when().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(blob, stored, "stored blob differs from the pushed bytes");
    }

    private static String start(String repo) {
        return given().when().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
    }

    private static String patched(String location, byte[] content) {
        return given().contentType(ContentType.BINARY).body(content).when().patch(location)
                .then().statusCode(202).extract().header("Location");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
