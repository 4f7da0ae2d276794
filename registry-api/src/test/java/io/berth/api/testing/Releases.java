package io.berth.api.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** Release snapshots as the tests create and follow them, as the administrator unless they say otherwise. */
public final class Releases {
    private Releases() {
    }

    /** An image item: copy {@code source} ({@code repository:tag} or {@code @digest}) to {@code target} ({@code repository:tag}). */
    public static JsonObject image(String source, String target) {
        return new JsonObject().put("source", source).put("target", target);
    }

    public static JsonObject body(String versionName, JsonArray items) {
        return new JsonObject().put("version_name", versionName).put("desc", "release " + versionName).put("items", items);
    }

    /** Creates the release as the administrator (202) and answers its id. */
    public static String create(String versionName, JsonArray items) {
        return create(given(), versionName, items);
    }

    public static String create(RequestSpecification caller, String versionName, JsonArray items) {
        return caller.contentType(ContentType.JSON).body(body(versionName, items).encode()).post("/api/v1/release")
                .then().statusCode(202).extract().path("id");
    }

    public static JsonPath get(String id) {
        return given().get("/api/v1/release/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits for the release to end (success or failed) and answers its details. */
    public static JsonPath await(String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonPath release = get(id);
            String status = release.getString("status");
            if (!"creating".equals(status) && !"retrying".equals(status)) {
                return release;
            }
            sleep(50);
        }
        return fail("release " + id + " did not finish");
    }

    /** The digest {@code repository:tag} names now, as a client's HEAD finds it. */
    public static String digestOf(String repository, String tag) {
        return given().accept(Registry.OCI_MANIFEST + "," + Registry.OCI_INDEX).head("/v2/" + repository + "/manifests/" + tag)
                .then().statusCode(200).extract().header("Docker-Content-Digest");
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
