package io.berth.api.gc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.core.domain.Digest;
import io.berth.core.storage.BlobStore;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The garbage collection API as the tests call it, as the administrator. */
final class GcApi {
    private GcApi() {
    }

    /** Starts a run of {@code path} ({@code organization/<name>} or {@code superuser}) and waits for it to end. */
    static JsonPath run(String path, Map<String, ?> parameters) {
        String id = given().queryParams(parameters).when().post("/api/v1/" + path + "/gc")
                .then().statusCode(202).extract().path("id");
        return await(id);
    }

    static JsonPath await(String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonPath run = given().when().get("/api/v1/gc/" + id).then().statusCode(200).extract().jsonPath();
            if (!"running".equals(run.getString("status"))) {
                return run;
            }
            sleep(50);
        }
        return fail("garbage collection run " + id + " did not finish");
    }

    static JsonPath size(String path) {
        return given().when().get("/api/v1/" + path + "/gc/size").then().statusCode(200).extract().jsonPath();
    }

    /** Whether the blob's bytes are in storage, asked of the store itself. */
    static boolean stored(BlobStore store, String digest) {
        return completed(store.size(Digest.parse(digest))).isPresent();
    }

    /** What {@code future} answers, waited for in the test's thread; its failure as it is when it fails. */
    static <T> T completed(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until what the test pushed so far is past the safety window, so a run may collect it. */
    static void waitOutSafetyWindow() {
        sleep(CollectingProfile.SAFETY_WINDOW_MILLIS + 500);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
