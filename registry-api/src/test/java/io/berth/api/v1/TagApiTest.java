package io.berth.api.v1;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.core.tag.TagService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tags through the management API: listing and filters, pointing, expiry, history and restore, delete and bulk delete. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TagApiTest {

    @Inject
    TagService tagService;

    @Inject
    Pool pool;

    @Test
    void tagsArePagedAndFiltered() {
        String repository = Content.uniqueRepository("tags");
        byte[] manifest = Registry.pushImage(repository, "v0");
        for (int i = 1; i <= 120; i++) {
            Registry.putManifest(repository, String.format("v%03d", i), Registry.OCI_MANIFEST, manifest);
        }
        String path = "/api/v1/repository/" + repository + "/tag/";
        given().queryParam("onlyActiveTags", true).queryParam("limit", 100).get(path).then().statusCode(200)
                .body("tags", hasSize(100)).body("page", equalTo(1)).body("has_additional", equalTo(true))
                .body("tags[0].name", equalTo("v0"))
                .body("tags[0].manifest_digest", equalTo(Content.sha256(manifest)))
                .body("tags[0].is_manifest_list", equalTo(false))
                .body("tags[0].size", equalTo(manifest.length + sizesOfBlobs(manifest)))
                .body("tags[0].last_modified", notNullValue())
                .body("tags[0].start_ts", notNullValue());
        given().queryParam("onlyActiveTags", true).queryParam("limit", 100).queryParam("page", 2).get(path).then()
                .body("tags", hasSize(21)).body("has_additional", equalTo(false)).body("tags[20].name", equalTo("v120"));
        given().queryParam("onlyActiveTags", true).queryParam("filter_tag_name", "like:11").get(path).then()
                .body("tags.name", contains("v011", "v110", "v111", "v112", "v113", "v114", "v115", "v116", "v117", "v118", "v119"));
        given().queryParam("filter_tag_name", "eq:v007").get(path).then().body("tags.name", contains("v007"));
        given().queryParam("specificTag", "v042").get(path).then().body("tags.name", contains("v042"));
        given().queryParam("specificTag", "nope").get(path).then().body("tags", empty());
        for (String[] bad : new String[][] {{"limit", "101"}, {"page", "0"}, {"filter_tag_name", "regex:v.*"}, {"limit", "x"}}) {
            apiError(given().queryParam(bad[0], bad[1]).get(path).then(), 400, "invalid_request");
        }
        apiError(given().get("/api/v1/repository/" + repository + "x/tag/").then(), 404, "not_found");
    }

    @Test
    void aTagMovesKeepsItsHistoryAndIsRestored() {
        String repository = Content.uniqueRepository("history");
        byte[] first = Registry.pushImage(repository, "latest");
        byte[] second = Registry.pushImage(repository, "other");
        String path = "/api/v1/repository/" + repository + "/tag/";

        given().contentType("application/json").body("{\"manifest_digest\":\"" + Content.sha256(second) + "\"}")
                .put(path + "latest").then().statusCode(200)
                .body("name", equalTo("latest")).body("manifest_digest", equalTo(Content.sha256(second)));
        given().get("/v2/" + repository + "/manifests/latest").then().statusCode(200)
                .header("Docker-Content-Digest", Content.sha256(second));
        given().queryParam("specificTag", "latest").get(path).then().statusCode(200)
                .body("tags.manifest_digest", contains(Content.sha256(second), Content.sha256(first)))
                .body("tags[0].end_ts", nullValue())
                .body("tags[1].end_ts", notNullValue());

        given().contentType("application/json").body("{\"manifest_digest\":\"" + Content.sha256(first) + "\"}")
                .post(path + "latest/restore").then().statusCode(200).body("manifest_digest", equalTo(Content.sha256(first)));
        given().get("/v2/" + repository + "/manifests/latest").then().header("Docker-Content-Digest", Content.sha256(first));
        apiError(given().contentType("application/json").body("{\"manifest_digest\":\"" + Content.sha256(Content.random(8)) + "\"}")
                .post(path + "latest/restore").then(), 404, "not_found");
        apiError(given().contentType("application/json").body("{\"manifest_digest\":\"sha256:" + "0".repeat(64) + "\"}")
                .put(path + "fresh").then(), 404, "not_found");
        apiError(given().contentType("application/json").body("{\"manifest_digest\":\"not-a-digest\"}")
                .put(path + "fresh").then(), 400, "invalid_request");
        apiError(given().contentType("application/json").body("{}").put(path + "latest").then(), 400, "invalid_request");
        apiError(given().contentType("application/json").body("{\"expiration\":1}").put(path + "latest").then(), 400, "invalid_request");

        given().delete(path + "other").then().statusCode(200).body("deleted_tag", equalTo("other"));
        apiError(given().delete(path + "other").then(), 404, "not_found");
        ociError(given().get("/v2/" + repository + "/manifests/other").then(), 404, "MANIFEST_UNKNOWN");
        apiError(given().delete(path + "bad..tag!").then(), 400, "invalid_request");
    }

    @Test
    void anExpiredTagStopsResolvingAndIsPruned() throws Exception {
        String repository = Content.uniqueRepository("expiry");
        Registry.pushImage(repository, "short");
        String path = "/api/v1/repository/" + repository + "/tag/";
        Instant expiry = Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        given().contentType("application/json").body("{\"expiration\":\"" + expiry + "\"}").put(path + "short").then().statusCode(200)
                .body("expiration", equalTo(expiry.toString()));
        // Resolved (and cached) before the expiry, gone after it, cache or not.
        given().get("/v2/" + repository + "/manifests/short").then().statusCode(200);
        Thread.sleep(Duration.between(Instant.now(), expiry).toMillis() + 200);
        ociError(given().get("/v2/" + repository + "/manifests/short").then(), 404, "MANIFEST_UNKNOWN");
        given().queryParam("onlyActiveTags", true).get(path).then().body("tags", empty());
        given().get("/v2/" + repository + "/tags/list").then().body("tags", empty());

        while (tagService.pruneExpired(500).toCompletionStage().toCompletableFuture().get(10, SECONDS) > 0) {
            // prunes every expired tag, this test's among them
        }
        var count = pool.preparedQuery("SELECT count(*) FROM tags t JOIN repositories r ON r.id = t.repository_id WHERE r.name = $1")
                .execute(Tuple.of(repository)).toCompletionStage().toCompletableFuture().get(10, SECONDS);
        assertEquals(0, count.iterator().next().getInteger(0));
        given().queryParam("specificTag", "short").get(path).then().body("tags[0].end_ts", notNullValue());
    }

    @Test
    void bulkDeleteAnswersOneResultPerTag() {
        String org = "bulk" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/app";
        byte[] manifest = Registry.pushImage(repository, "keep");
        for (String tag : List.of("one", "two", "three")) {
            Registry.putManifest(repository, tag, Registry.OCI_MANIFEST, manifest);
        }
        String path = "/api/v1/repository/" + repository + "/tag/bulk-delete";
        given().contentType("application/json").body(new JsonObject().put("tags", new JsonArray(List.of("one", "missing", "bad!tag", "two")))
                .encode()).post(path).then().statusCode(207)
                .body("results.tag", contains("one", "missing", "bad!tag", "two"))
                .body("results.status", contains(200, 404, 400, 200))
                .body("results.result", contains("deleted", "not_found", "invalid_name", "deleted"));
        given().get("/v2/" + repository + "/tags/list").then().body("tags", contains("keep", "three"));

        // A robot that may only read gets "denied" for each tag, and deletes nothing.
        String token = Accounts.createRobot(org, "reader");
        Accounts.grant(repository, org + "+reader", "read");
        given().auth().preemptive().basic(org + "+reader", token).contentType("application/json")
                .body("{\"tags\":[\"keep\",\"three\"]}").post(path).then().statusCode(207)
                .body("results.status", contains(403, 403))
                .body("results.result", contains("denied", "denied"));
        given().get("/v2/" + repository + "/tags/list").then().body("tags", contains("keep", "three"));

        apiError(given().contentType("application/json").body("{\"tags\":[]}").post(path).then(), 400, "invalid_request");
        apiError(given().contentType("application/json").body("{}").post(path).then(), 400, "invalid_request");
        apiError(given().auth().none().contentType("application/json").body("{\"tags\":[\"keep\"]}").post(path).then(),
                401, "unauthorized");
    }

    @Test
    void tenThousandTagsArePagedThroughWithoutLoadingThemAll() throws Exception {
        String repository = Content.uniqueRepository("many");
        byte[] manifest = Registry.pushImage(repository, "t00000");
        var inserted = pool.preparedQuery("""
                        INSERT INTO tags (repository_id, name, manifest_id)
                        SELECT r.id, 't' || lpad(n::text, 5, '0'), m.id FROM repositories r JOIN manifests m ON m.repository_id = r.id,
                               generate_series(1, 9999) n
                        WHERE r.name = $1""")
                .execute(Tuple.of(repository)).toCompletionStage().toCompletableFuture().get(10, SECONDS);
        assertEquals(9999, inserted.rowCount());
        String path = "/api/v1/repository/" + repository + "/tag/";
        given().queryParam("onlyActiveTags", true).queryParam("limit", 100).queryParam("page", 91).get(path).then().statusCode(200)
                .body("tags", hasSize(100))
                .body("tags[0].name", equalTo("t09000"))
                .body("tags[99].name", equalTo("t09099"))
                .body("tags[0].manifest_digest", equalTo(Content.sha256(manifest)))
                .body("has_additional", equalTo(true));
        given().queryParam("onlyActiveTags", true).queryParam("limit", 100).queryParam("page", 100).get(path).then()
                .body("tags", hasSize(100)).body("tags[99].name", equalTo("t09999")).body("has_additional", equalTo(false));
        given().queryParam("onlyActiveTags", true).queryParam("limit", 100).queryParam("page", 101).get(path).then()
                .body("tags", empty()).body("has_additional", equalTo(false));
        given().queryParam("n", 100).queryParam("last", "t09000").get("/v2/" + repository + "/tags/list").then().statusCode(200)
                .body("tags", hasSize(100)).body("tags[0]", equalTo("t09001"));
    }

    private static int sizesOfBlobs(byte[] manifest) {
        JsonObject parsed = new JsonObject(new String(manifest, java.nio.charset.StandardCharsets.UTF_8));
        int total = parsed.getJsonObject("config").getInteger("size");
        for (Object layer : parsed.getJsonArray("layers")) {
            total += ((JsonObject) layer).getInteger("size");
        }
        return total;
    }
}
