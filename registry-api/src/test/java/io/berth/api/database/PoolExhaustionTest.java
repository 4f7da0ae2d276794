package io.berth.api.database;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every metadata connection held up by slow statements: further requests wait for a connection at
 * most the configured time and are then refused with 503, instead of queueing without end; once
 * the statements finish, everything is served again.
 */
@QuarkusTest
@TestProfile(PoolExhaustionTest.TwoConnections.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class PoolExhaustionTest {
    private static final int POOL_SIZE = 2;

    public static class TwoConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.reactive.max-size", String.valueOf(POOL_SIZE),
                    "berth.database.acquire-timeout", "1s");
        }
    }

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String username;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void exhaustedPoolRefusesAfterABoundedWaitAndRecovers() throws Exception {
        String repository = Content.uniqueRepository("exhausted");
        Registry.pushImage(repository, "cached");
        given().accept(Registry.OCI_MANIFEST).get("/v2/" + repository + "/manifests/cached").then().statusCode(200);

        // Another client takes the tags table, so every tag listing Berth starts waits on the lock
        // while holding one of its connections: slow statements, as far as the pool can tell.
        ExecutorService clients = Executors.newFixedThreadPool(POOL_SIZE + 4);
        PgConnection locker = await(PgConnection.connect(vertx, PgConnectOptions.fromUri(url).setUser(username).setPassword(password)));
        await(locker.query("BEGIN").execute());
        await(locker.query("LOCK TABLE tags IN ACCESS EXCLUSIVE MODE").execute());
        try {
            List<CompletableFuture<Response>> listings = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE + 4; i++) {
                listings.add(CompletableFuture.supplyAsync(() -> given().get("/v2/" + repository + "/tags/list"), clients));
            }
            // The requests beyond the pool's connections are refused within the wait and some margin.
            long start = System.nanoTime();
            int refused = 0;
            for (CompletableFuture<Response> listing : listings) {
                Response response;
                try {
                    response = listing.get(Duration.ofSeconds(8).toMillis() - elapsedMillis(start), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillWaitingOnTheLock) {
                    continue;
                }
                ociError(response.then(), 503, "UNAVAILABLE");
                refused++;
            }
            assertTrue(refused >= 4, "requests refused while the pool was exhausted: " + refused);
            apiError(given().get("/api/v1/repository/" + repository).then(), 503, "unavailable");
            // What is cached needs no connection.
            given().accept(Registry.OCI_MANIFEST).get("/v2/" + repository + "/manifests/cached").then().statusCode(200);

            await(locker.query("ROLLBACK").execute());
            for (CompletableFuture<Response> listing : listings) {
                int status = listing.get(10, TimeUnit.SECONDS).statusCode();
                assertTrue(status == 200 || status == 503, "status " + status);
            }
        } finally {
            locker.close();
            clients.shutdownNow();
        }
        for (int i = 0; i < 10; i++) {
            given().get("/v2/" + repository + "/tags/list").then().statusCode(200);
        }
        assertEquals(200, given().get("/api/v1/repository/" + repository).statusCode());
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
