package io.berth.api.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.InjectPostgres;
import io.berth.api.testing.PostgresControl;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped and started again under pulls and pushes: requests that need the database are
 * refused with 503 and the error body of their API, promptly; what the caches hold keeps being
 * served; and once the database is back, Berth serves everything again without a restart.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.PromptRefusals.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class DatabaseOutageTest {
    /** No request may take longer than this, outage or not: the wait for a connection is 2 s. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    public static class PromptRefusals implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.database.acquire-timeout", "2s");
        }
    }

    enum Phase { BEFORE, OUTAGE, AFTER }

    enum Kind {
        CACHED_MANIFEST(false), CACHED_BLOB(false), BLOB_PUSH(true), MANIFEST_PUSH(true), TAG_LIST(true), MANAGEMENT(true);

        final boolean needsDatabase;

        Kind(boolean needsDatabase) {
            this.needsDatabase = needsDatabase;
        }
    }

    record Outcome(Phase phase, Kind kind, int status, String body, Duration took) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    @InjectPostgres
    PostgresControl postgres;

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.BEFORE);
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private JsonObject image;

    @Test
    void outageIsRefusedPromptlyCachedLookupsGoOnAndBerthRecoversByItself() throws Exception {
        String repository = Content.uniqueRepository("outage");
        image = new JsonObject(new String(Registry.pushImage(repository, "cached"), java.nio.charset.StandardCharsets.UTF_8));
        String layer = image.getJsonArray("layers").getJsonObject(0).getString("digest");
        // Both lookups once, so that they are cached.
        assertEquals(200, send(Kind.CACHED_MANIFEST, repository, layer, 0).status());
        assertEquals(200, send(Kind.CACHED_BLOB, repository, layer, 0).status());

        ExecutorService clients = Executors.newFixedThreadPool(Kind.values().length);
        for (Kind kind : Kind.values()) {
            clients.submit(() -> {
                for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    Outcome outcome = send(kind, repository, layer, i);
                    if (outcome != null) {
                        outcomes.add(outcome);
                    }
                    Thread.sleep(20);
                }
                return null;
            });
        }
        Thread.sleep(2_000);
        phase.set(Phase.OUTAGE);
        postgres.stop();
        Thread.sleep(6_000);
        postgres.start();
        phase.set(Phase.AFTER);
        awaitRecovery(repository, layer);
        Thread.sleep(2_000);
        clients.shutdownNow();
        assertTrue(clients.awaitTermination(BOUND.toSeconds() + 5, TimeUnit.SECONDS), "clients did not finish");

        List<Outcome> all = List.copyOf(outcomes);
        for (Outcome outcome : all) {
            assertTrue(outcome.ok() || outcome.status() == 503, () -> "neither success nor 503: " + outcome);
            assertTrue(outcome.took().compareTo(BOUND) < 0, () -> "took too long: " + outcome);
            if (outcome.status() == 503) {
                assertRefusalBody(outcome);
            }
        }
        List<Outcome> during = all.stream().filter(o -> o.phase() == Phase.OUTAGE).toList();
        assertTrue(during.stream().anyMatch(o -> o.kind().needsDatabase && o.status() == 503),
                "no request was refused during the outage: " + during);
        for (Kind cached : List.of(Kind.CACHED_MANIFEST, Kind.CACHED_BLOB)) {
            List<Outcome> lookups = during.stream().filter(o -> o.kind() == cached).toList();
            assertTrue(!lookups.isEmpty() && lookups.stream().allMatch(Outcome::ok), () -> cached + " during the outage: " + lookups);
        }
        // Back to normal: more requests of every kind than the pool has connections, all served, so
        // no connection broken by the outage was left in the pool.
        for (int i = 0; i < 40; i++) {
            for (Kind kind : Kind.values()) {
                Outcome outcome = send(kind, repository, layer, 100_000 + i);
                assertTrue(outcome != null && outcome.ok(), () -> "after recovery: " + outcome);
            }
        }
    }

    private void awaitRecovery(String repository, String layer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Predicate<Kind> served = kind -> {
            Outcome outcome = send(kind, repository, layer, -1);
            return outcome != null && outcome.ok();
        };
        while (!(served.test(Kind.TAG_LIST) && served.test(Kind.BLOB_PUSH) && served.test(Kind.MANAGEMENT))) {
            assertTrue(System.nanoTime() < deadline, "Berth did not recover within 30 s of the database coming back");
            Thread.sleep(200);
        }
    }

    private static void assertRefusalBody(Outcome outcome) {
        JsonObject body = new JsonObject(outcome.body());
        if (outcome.kind() == Kind.MANAGEMENT) {
            assertEquals(503, body.getInteger("status"), outcome::toString);
            assertEquals("unavailable", body.getString("title"), outcome::toString);
        } else {
            assertEquals("UNAVAILABLE", body.getJsonArray("errors").getJsonObject(0).getString("code"), outcome::toString);
        }
    }

    private Outcome send(Kind kind, String repository, String layer, int i) {
        String v2 = "v2/" + repository;
        HttpRequest.Builder request = switch (kind) {
            case CACHED_MANIFEST -> request(v2 + "/manifests/cached").header("Accept", Registry.OCI_MANIFEST).GET();
            case CACHED_BLOB -> request(v2 + "/blobs/" + layer).method("HEAD", HttpRequest.BodyPublishers.noBody());
            case BLOB_PUSH -> {
                byte[] blob = Content.random(512);
                yield request(v2 + "/blobs/uploads/?digest=" + Content.sha256(blob))
                        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(blob));
            }
            case MANIFEST_PUSH -> {
                // The pushed image again, told apart by an annotation: its blobs are all in the repository.
                byte[] manifest = Content.utf8(image.copy().put("annotations", new JsonObject().put("n", String.valueOf(i))).encode());
                yield request(v2 + "/manifests/t" + (i < 0 ? "probe" : String.valueOf(i))).header("Content-Type", Registry.OCI_MANIFEST)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest));
            }
            case TAG_LIST -> request(v2 + "/tags/list").GET();
            case MANAGEMENT -> request("api/v1/repository/" + repository).GET();
        };
        Phase when = phase.get();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(when, kind, response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start));
        } catch (java.io.IOException e) {
            return new Outcome(when, kind, -1, e.toString(), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            // The load is being stopped: this request has no outcome.
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base.toString() + path)).timeout(BOUND.plusSeconds(5))
                .header("Authorization", Credentials.basic(Credentials.ADMIN, Credentials.ADMIN_PASSWORD));
    }
}
