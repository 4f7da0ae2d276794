package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Quotas;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Releases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Releases through the management API: what a failing item says and its retry, a target over its
 * quota, permissions, deletes, paging, charts, bad bodies.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ReleaseApiTest {
    private static final String PASSWORD = "release-password";
    private static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    private static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    @Test
    void aMissingSourceFailsItsItemAndRetryCompletesItOnceItIsPushed() {
        String namespace = fresh("retry");
        String app = Content.sha256(Registry.pushImage(namespace + "/app", "1.0"));
        String id = Releases.create("v1", new JsonArray()
                .add(Releases.image(namespace + "/app:1.0", namespace + "/release-app:v1"))
                .add(Releases.image(namespace + "/worker:1.0", namespace + "/release-worker:v1")));

        JsonPath failed = Releases.await(id);
        assertEquals("failed", failed.getString("status"), failed.prettify());
        assertEquals(1, failed.getInt("progress.success_count"));
        assertEquals(2, failed.getInt("progress.total_count"));
        assertEquals("failed", failed.getString("progress.upload_status"));
        assertTrue(failed.getString("error").contains("1 of 2 items failed") && failed.getString("error").contains("not found"),
                failed.getString("error"));
        assertEquals("success", failed.getString("items[0].upload_status"));
        assertEquals(true, failed.getBoolean("items[0].tagged"));
        assertEquals(app, failed.getString("items[0].digest"));
        assertEquals("failed", failed.getString("items[1].upload_status"));
        assertEquals(false, failed.getBoolean("items[1].tagged"));
        assertEquals("source " + namespace + "/worker:1.0 not found", failed.getString("items[1].error"));
        assertEquals(app, Releases.digestOf(namespace + "/release-app", "v1"));
        given().get("/v2/" + namespace + "/release-worker/manifests/v1").then().statusCode(404);

        String worker = Content.sha256(Registry.pushImage(namespace + "/worker", "1.0"));
        given().post("/api/v1/release/" + id + "/retry").then().statusCode(202).body("status", equalTo("retrying"));
        JsonPath retried = Releases.await(id);
        assertEquals("success", retried.getString("status"), retried.prettify());
        assertEquals(2, retried.getInt("progress.success_count"));
        assertEquals("", retried.getString("progress.error"));
        assertEquals(failed.getLong("items[0].updated_time"), retried.getLong("items[0].updated_time"), "what was copied is not redone");
        assertEquals(worker, Releases.digestOf(namespace + "/release-worker", "v1"));
        apiError(given().post("/api/v1/release/" + id + "/retry").then(), 409, "conflict");
    }

    @Test
    void aTargetNamespaceOverItsQuotaFailsTheItemWithTheFiguresAndRetryCompletesItOnceTheQuotaIsRaised() {
        String source = fresh("quotasource");
        String app = Content.sha256(Registry.pushImage(source + "/app", "1.0"));
        String target = Quotas.organization("quotatarget");
        long quota = Quotas.rejectingAt(target, 1);
        String id = Releases.create("v1", new JsonArray().add(Releases.image(source + "/app:1.0", target + "/app:v1")));

        JsonPath failed = Releases.await(id);
        assertEquals("failed", failed.getString("status"), failed.prettify());
        assertTrue(failed.getString("items[0].error").contains("quota exceeded: namespace " + target), failed.getString("items[0].error"));
        assertEquals(false, failed.getBoolean("items[0].tagged"));
        given().get("/v2/" + target + "/app/manifests/v1").then().statusCode(404);
        assertEquals(0, Quotas.usage(target), "nothing of the refused copy is counted, nor left behind");
        assertEquals(0, Quotas.recount(target).getLong("recounted_bytes"));

        Accounts.asAdmin().body(new JsonObject().put("limit_bytes", 10_000_000).encode())
                .put("/api/v1/organization/" + target + "/quota/" + quota).then().statusCode(200);
        given().post("/api/v1/release/" + id + "/retry").then().statusCode(202);
        JsonPath retried = Releases.await(id);
        assertEquals("success", retried.getString("status"), retried.prettify());
        assertEquals(app, Releases.digestOf(target + "/app", "v1"));
        assertTrue(Quotas.usage(target) > 0);
        assertEquals(0, Quotas.recount(target).getLong("drift_bytes"));
    }

    @Test
    void theCallerNeedsPullOnEverySourceAndPushOnEveryTarget() {
        String org = fresh("guarded");
        Registry.pushImage(org + "/private", "1.0");
        String user = "releaser" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        Accounts.createUser(user, PASSWORD);
        Registry.pushImage(user + "/own", "1.0");
        var asUser = Accounts.as(user, PASSWORD);

        String existing = refusal(user, Releases.image(org + "/private:1.0", user + "/copy:1.0"));
        String absent = refusal(user, Releases.image(org + "/absent:1.0", user + "/copy:1.0"));
        assertEquals("not allowed to release 1 item: items[0].source: " + user + " may not pull " + org + "/private", existing);
        assertEquals(existing.replace("/private", "/absent"), absent, "a repository the caller cannot see is refused in the same words");
        assertEquals("not allowed to release 1 item: items[0].target: " + user + " may not push " + org + "/release", refusal(user,
                Releases.image(user + "/own:1.0", org + "/release:1.0")));
        String both = refusal(user, Releases.image(org + "/private:1.0", user + "/a:1"), Releases.image(user + "/own:1.0", org + "/b:1"));
        assertTrue(both.startsWith("not allowed to release 2 items: items[0].source") && both.contains("items[1].target"), both);

        // Pull granted, the target read-only: the refusal says why.
        Accounts.grant(org + "/private", user, "write");
        Accounts.asAdmin().body("{\"state\":\"READ_ONLY\"}").put("/api/v1/repository/" + org + "/private/changestate").then().statusCode(200);
        assertTrue(refusal(user, Releases.image(user + "/own:1.0", org + "/private:2.0")).contains("is read-only"));

        // Allowed: pull from a repository granted, push to the caller's own namespace. Only the creator and administrators see it.
        String id = Releases.create(asUser, "v1", new JsonArray().add(Releases.image(org + "/private:1.0", user + "/copy:1.0")));
        assertEquals("success", Releases.await(id).getString("status"));
        Accounts.as(user, PASSWORD).get("/api/v1/release/" + id).then().statusCode(200).body("created_by", equalTo(user));
        String other = user + "x";
        Accounts.createUser(other, PASSWORD);
        apiError(Accounts.as(other, PASSWORD).get("/api/v1/release/" + id).then(), 404, "not_found");
        apiError(Accounts.as(other, PASSWORD).delete("/api/v1/release/" + id).then(), 404, "not_found");
        apiError(given().auth().none().get("/api/v1/release/" + id).then(), 401, "unauthorized");
    }

    @Test
    void deletingAReleaseRemovesTheTagsItSetAndKeepsTagsMovedSince() {
        String namespace = fresh("deleted");
        String app = Content.sha256(Registry.pushImage(namespace + "/app", "1.0"));
        Registry.pushImage(namespace + "/web", "1.0");
        String id = Releases.create("v2", new JsonArray()
                .add(Releases.image(namespace + "/app:1.0", namespace + "/rel-app:v2"))
                .add(Releases.image(namespace + "/web:1.0", namespace + "/rel-web:v2")));
        assertEquals("success", Releases.await(id).getString("status"));
        // Someone pushes another image under one of the release's tags: it is theirs now.
        byte[] moved = Registry.pushImage(namespace + "/rel-web", "v2");

        given().delete("/api/v1/release/" + id).then().statusCode(200)
                .body("message", equalTo("success"))
                .body("deleted_tags", equalTo(List.of(namespace + "/rel-app:v2")))
                .body("kept_tags", equalTo(List.of(namespace + "/rel-web:v2")));
        given().get("/v2/" + namespace + "/rel-app/manifests/v2").then().statusCode(404);
        // The content stays for garbage collection: still there by digest.
        given().accept(Registry.OCI_MANIFEST).get("/v2/" + namespace + "/rel-app/manifests/" + app).then().statusCode(200);
        assertEquals(Content.sha256(moved), Releases.digestOf(namespace + "/rel-web", "v2"));
        given().get("/api/v1/repository/" + namespace + "/rel-app/tag/?specificTag=v2").then().statusCode(200)
                .body("tags[0].end_ts", notNullValue());
        apiError(given().get("/api/v1/release/" + id).then(), 404, "not_found");
        apiError(given().delete("/api/v1/release/" + id).then(), 404, "not_found");
    }

    @Test
    void releasesAreListedNewestFirstInPages() {
        String user = "lister" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        Accounts.createUser(user, PASSWORD);
        Registry.pushImage(user + "/app", "1.0");
        for (int i = 1; i <= 3; i++) {
            Releases.create(Accounts.as(user, PASSWORD), "v" + i, new JsonArray().add(Releases.image(user + "/app:1.0", user + "/rel:v" + i)));
        }
        Accounts.as(user, PASSWORD).queryParam("pageNum", 1).queryParam("pageSize", 2).get("/api/v1/release").then().statusCode(200)
                .body("total", equalTo(3)).body("list", hasSize(2)).body("list.version_name", equalTo(List.of("v3", "v2")))
                .body("list[0].created_by", equalTo(user)).body("list[0].description", equalTo("release v3"))
                .body("list[0].labels", equalTo(List.of())).body("list[0]", not(hasKey("items")));
        Accounts.as(user, PASSWORD).queryParam("pageNum", 2).queryParam("pageSize", 2).get("/api/v1/release").then()
                .body("total", equalTo(3)).body("list.version_name", equalTo(List.of("v1")));
        Accounts.as(user, PASSWORD).queryParam("pageNum", 3).queryParam("pageSize", 2).get("/api/v1/release").then()
                .body("total", equalTo(3)).body("list", hasSize(0));
        for (String[] bad : new String[][] {{"pageSize", "0"}, {"pageSize", "101"}, {"pageNum", "0"}, {"pageNum", "x"}}) {
            apiError(Accounts.as(user, PASSWORD).queryParam(bad[0], bad[1]).get("/api/v1/release").then(), 400, "invalid_request")
                    .body("detail", containsString(bad[0]));
        }
    }

    @Test
    void aHelmChartIsReleasedAfterTheImagesItNames() {
        String namespace = fresh("charts");
        String image = Content.sha256(Registry.pushImage(namespace + "/service", "1.76"));
        String chart = pushChart(namespace + "/charts/service", "1.76");
        JsonObject chartItem = new JsonObject().put("type", "helm_chart")
                .put("source", namespace + "/charts/service:1.76").put("target", namespace + "/release/charts/service:v4")
                .put("images", new JsonArray().add(Releases.image(namespace + "/service:1.76", namespace + "/release/service:v4")));
        String id = Releases.create("v4", new JsonArray().add(chartItem));
        JsonPath done = Releases.await(id);
        assertEquals("success", done.getString("status"), done.prettify());
        assertEquals(2, done.getInt("progress.total_count"));
        assertEquals("helm_chart", done.getString("items[0].type"));
        assertEquals("image", done.getString("items[0].images[0].type"));
        assertEquals(image, done.getString("items[0].images[0].digest"));
        assertEquals(chart, Releases.digestOf(namespace + "/release/charts/service", "v4"));
        given().get("/api/v1/repository/" + namespace + "/release/charts/service").then().statusCode(200).body("kind", equalTo("helm_chart"));

        // An image that is no chart is not released as one, and a chart whose image failed is not released.
        JsonObject notAChart = new JsonObject().put("type", "helm_chart")
                .put("source", namespace + "/service:1.76").put("target", namespace + "/release/charts/other:v5");
        JsonObject missingImage = chartItem.copy().put("target", namespace + "/release/charts/service:v5")
                .put("images", new JsonArray().add(Releases.image(namespace + "/service:9.9", namespace + "/release/service:v5")));
        JsonPath failed = Releases.await(Releases.create("v5", new JsonArray().add(notAChart).add(missingImage)));
        assertEquals("failed", failed.getString("status"));
        assertTrue(failed.getString("items[0].error").contains("is not a Helm chart"), failed.getString("items[0].error"));
        assertEquals("not copied: an image this chart names failed", failed.getString("items[1].error"));
        given().get("/v2/" + namespace + "/release/charts/service/manifests/v5").then().statusCode(404);
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        String[][] cases = {
            {"{\"items\":[{\"source\":\"a/b:1\",\"target\":\"a/c:1\"}]}", "version_name is required"},
            {"{\"version_name\":\"v1\"}", "items must be a non-empty array"},
            {"{\"version_name\":\"v1\",\"items\":[]}", "items must be a non-empty array"},
            {"{\"version_name\":\"v1\",\"items\":[{\"source\":\"a/b\",\"target\":\"a/c:1\"}]}", "items[0].source must be repository:tag"},
            {"{\"version_name\":\"v1\",\"items\":[{\"source\":\"a/b:1\",\"target\":\"a/c@sha256:" + "0".repeat(64) + "\"}]}",
                "items[0].target must be repository:tag"},
            {"{\"version_name\":\"v1\",\"items\":[{\"source\":\"a/b@sha256:12\",\"target\":\"a/c:1\"}]}", "items[0].source has an invalid digest"},
            {"{\"version_name\":\"v1\",\"items\":[{\"source\":\"A/b:1\",\"target\":\"a/c:1\"}]}", "items[0].source has an invalid repository"},
            {"{\"version_name\":\"v1\",\"items\":[{\"source\":\"a/b:1\",\"target\":1}]}", "items[0].target must be a string"},
            {"{\"version_name\":\"v1\",\"items\":[{\"type\":\"helm_chart\",\"source\":\"a/b:1\",\"target\":\"a/c:1\",\"images\":[{\"source\":"
                + "\"a/d:1\"}]}]}", "items[0].images[0].target is required"},
            {"{\"version_name\":\"v1\",\"items\":[{\"type\":\"zip\",\"source\":\"a/b:1\",\"target\":\"a/c:1\"}]}", "items[0].type must be"},
            {"{\"version_name\":\"v1\",\"labels\":\"x\",\"items\":[{\"source\":\"a/b:1\",\"target\":\"a/c:1\"}]}", "labels must be an array"},
            {"{\"version_name\":\"v1\",\"items\":[{\"source\":\"a/b:1\",\"target\":\"a/c:1\"},{\"source\":\"a/d:1\",\"target\":\"a/c:1\"}]}",
                "the target a/c:1 more than once"},
            {"[1]", "must be a JSON object"},
        };
        for (String[] bad : cases) {
            apiError(given().contentType("application/json").body(bad[0]).post("/api/v1/release").then(), 400, "invalid_request")
                    .body("detail", containsString(bad[1]));
        }
        apiError(given().contentType("application/json").post("/api/v1/release").then(), 400, "invalid_request");
        apiError(given().get("/api/v1/release/not-a-release").then(), 404, "not_found");
        apiError(given().post("/api/v1/release/" + java.util.UUID.randomUUID() + "/retry").then(), 404, "not_found");
    }

    /** The 403 detail of a refused release by {@code user}. */
    private static String refusal(String user, JsonObject... items) {
        JsonArray list = new JsonArray();
        for (JsonObject item : items) {
            list.add(item);
        }
        return apiError(Accounts.as(user, PASSWORD).body(Releases.body("refused", list).encode()).post("/api/v1/release").then(),
                403, "forbidden").extract().path("detail");
    }

    /** Pushes a Helm chart as Helm does (a Helm config and the packaged chart) and answers its digest. */
    private static String pushChart(String repository, String version) {
        byte[] config = Content.utf8("{\"name\":\"service\",\"version\":\"" + version + "\",\"apiVersion\":\"v2\"}");
        byte[] packaged = Content.random(2048);
        Registry.pushBlob(repository, config);
        Registry.pushBlob(repository, packaged);
        byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", Registry.OCI_MANIFEST)
                .put("config", Registry.descriptor(HELM_CONFIG, config))
                .put("layers", new JsonArray().add(Registry.descriptor(CHART_LAYER, packaged)))
                .encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Registry.putManifest(repository, version, Registry.OCI_MANIFEST, manifest);
        return Content.sha256(manifest);
    }

    /** A namespace of its own for a test (the test profile lets the administrator's push create it). */
    private static String fresh(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
