package io.berth.api.gc;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.core.audit.UsageLog;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcScope;
import io.berth.core.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reclaiming space: what goes, what stays, the estimate against what was freed, dry runs and untagged manifests. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(CollectingProfile.class)
class GarbageCollectionTest {
    private static final String PASSWORD = "collector-password";

    @Inject
    BlobStore store;

    @Inject
    GarbageCollector collector;

    @Inject
    Pool pool;

    @Inject
    UsageLog usageLog;

    /** A new organization administered by a new user; answers its name. */
    static String organization(String prefix) {
        String owner = prefix + "owner" + Long.toHexString(System.nanoTime());
        Accounts.createUser(owner, PASSWORD);
        String org = prefix + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, owner, PASSWORD);
        return org;
    }

    @Test
    void deletedImagesGiveBackTheirOwnBlobsAndSharedLayersStay() {
        String org = organization("reclaim");
        byte[] shared = Content.random(40_000);
        byte[] onlyA = Content.random(30_000);
        byte[] onlyB = Content.random(20_000);
        byte[] configA = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"image\":\"a\"}");
        byte[] configB = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"image\":\"b\"}");
        byte[] manifestA = Registry.imageManifest(org + "/a", configA, shared, onlyA);
        Registry.putManifest(org + "/a", "v1", Registry.OCI_MANIFEST, manifestA);
        byte[] manifestB = Registry.imageManifest(org + "/b", configB, shared, onlyB);
        Registry.putManifest(org + "/b", "v1", Registry.OCI_MANIFEST, manifestB);
        long sizeBefore = given().get("/api/v1/organization/" + org).then().extract().jsonPath().getLong("size");

        given().delete("/v2/" + org + "/a/manifests/" + Content.sha256(manifestA)).then().statusCode(202);
        GcApi.waitOutSafetyWindow();
        JsonPath estimate = GcApi.size("organization/" + org);
        assertEquals(onlyA.length + configA.length, estimate.getLong("sizeNonReferenced"));
        assertEquals(0, estimate.getLong("sizeUntagged"));
        assertEquals(onlyA.length + configA.length, estimate.getLong("sizeSummary"));

        JsonPath run = GcApi.run("organization/" + org, Map.of());

        assertEquals("succeeded", run.getString("status"));
        assertEquals(org, run.getString("namespace"));
        assertEquals(2, run.getLong("blobsDeleted"));
        assertEquals(estimate.getLong("sizeSummary"), run.getLong("bytesFreed"), "freed what the estimate said");
        assertEquals(estimate.getLong("sizeSummary"), run.getLong("estimatedBytes"));
        assertEquals(run.getLong("bytesFreed"), run.getLong("report.bytesFreed"));
        assertFalse(GcApi.stored(store, Content.sha256(onlyA)));
        assertFalse(GcApi.stored(store, Content.sha256(configA)));
        for (byte[] kept : List.of(shared, onlyB, configB)) {
            assertTrue(GcApi.stored(store, Content.sha256(kept)));
            given().get("/v2/" + org + "/b/blobs/" + Content.sha256(kept)).then().statusCode(200);
        }
        given().head("/v2/" + org + "/a/blobs/" + Content.sha256(onlyA)).then().statusCode(404);
        given().head("/v2/" + org + "/a/blobs/" + Content.sha256(shared)).then().statusCode(200);
        given().get("/v2/" + org + "/b/manifests/v1").then().statusCode(200);
        long sizeAfter = given().get("/api/v1/organization/" + org).then().extract().jsonPath().getLong("size");
        assertEquals(sizeBefore - onlyA.length - configA.length - manifestA.length, sizeAfter);
        assertEquals(0, GcApi.size("organization/" + org).getLong("sizeSummary"));
    }

    @Test
    void untaggedManifestsGoWhenAskedAndIndexesSignaturesAndTaggedImagesStay() {
        String org = organization("untagged");
        String repo = org + "/app";
        Registry.pushImage(repo, "v1");
        byte[] replaced = Registry.pushImage(repo, "v2");
        byte[] current = Registry.pushImage(repo, "v2");
        byte[] platformA = Registry.pushImage(repo, "p-a");
        byte[] platformB = Registry.pushImage(repo, "p-b");
        byte[] index = Registry.index(platformA, platformB);
        Registry.putManifest(repo, "multi", Registry.OCI_INDEX, index);
        // The platforms were pushed with temporary tags; deleting the tags leaves them listed by the index only.
        given().delete("/v2/" + repo + "/manifests/p-a").then().statusCode(202);
        given().delete("/v2/" + repo + "/manifests/p-b").then().statusCode(202);
        byte[] signature = Registry.referrer(repo, current);
        Registry.putManifest(repo, Content.sha256(signature), Registry.OCI_MANIFEST, signature);
        byte[] orphanImage = Registry.pushImage(repo, "temporary");
        given().delete("/v2/" + repo + "/manifests/temporary").then().statusCode(202);
        byte[] orphanSignature = Registry.referrer(repo, orphanImage);
        Registry.putManifest(repo, Content.sha256(orphanSignature), Registry.OCI_MANIFEST, orphanSignature);
        // Nothing changes in a read-only repository, untagged manifests included.
        byte[] frozen = Registry.pushImage(org + "/frozen", "temporary");
        given().delete("/v2/" + org + "/frozen/manifests/temporary").then().statusCode(202);
        given().contentType("application/json").body("{\"state\":\"READ_ONLY\"}")
                .put("/api/v1/repository/" + org + "/frozen/changestate").then().statusCode(200);
        GcApi.waitOutSafetyWindow();

        JsonPath estimate = GcApi.size("organization/" + org);
        long untaggedBytes = uniqueBlobBytes(replaced) + uniqueBlobBytes(orphanImage) + uniqueBlobBytes(orphanSignature);
        assertEquals(untaggedBytes, estimate.getLong("sizeUntagged"));
        assertEquals(0, estimate.getLong("sizeNonReferenced"));

        JsonPath dryRun = GcApi.run("organization/" + org, Map.of("delete_untagged", "true", "dry_run", "true"));
        assertEquals("succeeded", dryRun.getString("status"));
        assertTrue(dryRun.getBoolean("dryRun"));
        assertEquals(3, dryRun.getInt("report.manifestsToDelete"));
        assertEquals(Set.of(Content.sha256(replaced), Content.sha256(orphanImage), Content.sha256(orphanSignature)),
                new HashSet<>(dryRun.getList("report.manifests.digest")));
        assertEquals(untaggedBytes, dryRun.getLong("report.bytesToFree"));
        assertEquals(0, dryRun.getLong("bytesFreed"));
        given().get("/v2/" + repo + "/manifests/" + Content.sha256(replaced)).then().statusCode(200);

        JsonPath run = GcApi.run("organization/" + org, Map.of("delete-untagged", "true"));

        assertEquals("succeeded", run.getString("status"));
        assertEquals(3, run.getLong("manifestsDeleted"));
        assertEquals(untaggedBytes, run.getLong("bytesFreed"));
        for (byte[] gone : List.of(replaced, orphanImage, orphanSignature)) {
            given().get("/v2/" + repo + "/manifests/" + Content.sha256(gone)).then().statusCode(404);
        }
        for (byte[] kept : List.of(current, platformA, platformB, index, signature)) {
            given().get("/v2/" + repo + "/manifests/" + Content.sha256(kept)).then().statusCode(200);
        }
        given().get("/v2/" + repo + "/manifests/v1").then().statusCode(200);
        given().get("/v2/" + org + "/frozen/manifests/" + Content.sha256(frozen)).then().statusCode(200);
        given().get("/v2/" + repo + "/referrers/" + Content.sha256(current)).then().statusCode(200)
                .body("manifests.digest", hasItem(Content.sha256(signature)));
    }

    @Test
    void runsReportProgressAndAreVisibleOnlyToWhoMayStartThem() {
        String org = organization("runs");
        byte[] manifest = Registry.pushImage(org + "/app", "v1");
        given().delete("/v2/" + org + "/app/manifests/" + Content.sha256(manifest)).then().statusCode(202);
        GcApi.waitOutSafetyWindow();
        String id = given().post("/api/v1/organization/" + org + "/gc").then().statusCode(202)
                .header("Location", containsString("/api/v1/gc/"))
                .extract().path("id");
        JsonPath run = GcApi.await(id);
        assertEquals("done", run.getString("phase"));
        assertEquals(2, run.getLong("blobsReviewed"));
        assertEquals(2, run.getLong("blobsDeleted"));
        assertTrue(run.getString("finishedAt").compareTo(run.getString("createdAt")) >= 0);
        assertEquals("admin", run.getString("requestedBy"));
        given().get("/api/v1/organization/" + org + "/gc").then().statusCode(200).body("runs.id", hasItem(id));
        usageLog.flush();
        given().get("/api/v1/organization/" + org + "/logs").then().statusCode(200)
                .body("logs.find { it.kind == 'start_gc' }.metadata.run", equalTo(id));
        given().get("/api/v1/superuser/gc").then().statusCode(200).body("runs.id", hasItem(id));

        String outsider = "gcoutsider" + Long.toHexString(System.nanoTime());
        Accounts.createUser(outsider, PASSWORD);
        apiError(Accounts.as(outsider, PASSWORD).post("/api/v1/organization/" + org + "/gc").then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).get("/api/v1/organization/" + org + "/gc/size").then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).get("/api/v1/gc/" + id).then(), 404, "not_found");
        apiError(Accounts.as(outsider, PASSWORD).post("/api/v1/superuser/gc").then(), 403, "forbidden");
        apiError(Accounts.as(outsider, PASSWORD).post("/api/v1/superuser/gc/orphans").then(), 403, "forbidden");
        apiError(given().queryParam("dry_run", "maybe").post("/api/v1/organization/" + org + "/gc").then(), 400, "invalid_request");
        apiError(given().get("/api/v1/gc/not-a-run").then(), 404, "not_found");
        apiError(given().post("/api/v1/organization/nosuchorg" + System.nanoTime() + "/gc").then(), 404, "not_found");
        given().get("/api/v1/superuser/gc/size").then().statusCode(200)
                .body("sizeSummary", greaterThanOrEqualTo(0));
    }

    @Test
    void aRunOverlappingOneThatGoesOnIsAConflict() {
        String org = organization("conflict");
        String other = organization("noconflict");
        long namespaceId = GcApi.completed(pool.preparedQuery("SELECT id FROM namespaces WHERE name = $1").execute(Tuple.of(org)))
                .iterator().next().getLong(0);
        // A run of the organization going on on another node, as that node records it.
        UUID elsewhere = UUID.randomUUID();
        GcApi.completed(pool.preparedQuery("INSERT INTO gc_runs (id, kind, namespace_id, delete_untagged, dry_run, status, phase,"
                + " requested_by) VALUES ($1, 'collect', $2, false, false, 'running', 'queued', 'another node')")
                .execute(Tuple.of(elsewhere, namespaceId)));
        try {
            apiError(given().post("/api/v1/organization/" + org + "/gc").then(), 409, "conflict");
            apiError(given().post("/api/v1/superuser/gc").then(), 409, "conflict");
            assertEquals("succeeded", GcApi.run("organization/" + other, Map.of()).getString("status"));
        } finally {
            GcApi.completed(pool.preparedQuery("UPDATE gc_runs SET status = 'failed', phase = 'done', updated_at = now(),"
                    + " finished_at = now(), error = 'ended by the test' WHERE id = $1").execute(Tuple.of(elsewhere)));
        }
        assertEquals("succeeded", GcApi.run("organization/" + org, Map.of()).getString("status"));
        assertEquals("failed", given().get("/api/v1/gc/" + elsewhere).then().statusCode(200).extract().path("status"));
    }

    @Test
    void aBlobFoundByHeadOrUploadedAgainIsNotCollectedWithinTheSafetyWindow() {
        String org = organization("guard");
        byte[] layer = Content.random(10_000);
        byte[] reUploaded = Content.random(11_000);
        byte[] manifest = Registry.imageManifest(org + "/app", Content.utf8("{\"guard\":1}"), layer, reUploaded);
        Registry.putManifest(org + "/app", "v1", Registry.OCI_MANIFEST, manifest);
        given().delete("/v2/" + org + "/app/manifests/" + Content.sha256(manifest)).then().statusCode(202);

        // A client checks one layer and uploads the other again, as a push reusing them would.
        given().head("/v2/" + org + "/app/blobs/" + Content.sha256(layer)).then().statusCode(200);
        Registry.pushBlob(org + "/app", reUploaded);
        GcApi.completed(collector.collectDue(GcScope.REGISTRY, collector.newProgress(), GarbageCollector.Listener.NONE));

        assertTrue(GcApi.stored(store, Content.sha256(layer)), "a blob found by HEAD waits for the safety window");
        assertTrue(GcApi.stored(store, Content.sha256(reUploaded)), "a blob uploaded again waits for the safety window");
        given().head("/v2/" + org + "/app/blobs/" + Content.sha256(layer)).then().statusCode(200);

        GcApi.waitOutSafetyWindow();
        GcApi.run("organization/" + org, Map.of());
        assertFalse(GcApi.stored(store, Content.sha256(layer)));
        assertFalse(GcApi.stored(store, Content.sha256(reUploaded)));
        given().head("/v2/" + org + "/app/blobs/" + Content.sha256(layer)).then().statusCode(404);
    }

    @Test
    void blobsOfAnImageCleanedUpJustAfterItsPushStayUntilTheSafetyWindowHasPassed() {
        String org = organization("window");
        String repo = org + "/app";
        byte[] image = Registry.pushImage(repo, "v1");
        JsonObject parsed = new JsonObject(new String(image, StandardCharsets.UTF_8));
        List<String> blobs = List.of(parsed.getJsonObject("config").getString("digest"),
                parsed.getJsonArray("layers").getJsonObject(0).getString("digest"));

        String runId = given().contentType("application/json").body("{\"tags\":[\"v1\"]}")
                .post("/api/v1/repository/" + repo + "/cleanup").then().statusCode(200)
                .body("deleted.digest", hasItem(Content.sha256(image)))
                .extract().path("gcRunId");
        JsonPath run = GcApi.await(runId);

        assertEquals("succeeded", run.getString("status"));
        assertEquals(0, run.getLong("blobsDeleted"), "the push that uploaded them was within the safety window");
        for (String blob : blobs) {
            assertTrue(GcApi.stored(store, blob));
            // A client that checks the layers now and pushes its manifest finds them, as the window promises.
            given().head("/v2/" + repo + "/blobs/" + blob).then().statusCode(200);
        }
        Registry.putManifest(repo, "again", Registry.OCI_MANIFEST, image);
        given().delete("/v2/" + repo + "/manifests/" + Content.sha256(image)).then().statusCode(202);

        GcApi.waitOutSafetyWindow();
        JsonPath later = GcApi.run("organization/" + org, Map.of());
        assertEquals(2, later.getLong("blobsDeleted"));
        for (String blob : blobs) {
            assertFalse(GcApi.stored(store, blob));
        }
    }

    @Test
    void deletingARepositoryLeavesItsBlobsToCollectionWhichKeepsWhatOthersReference() {
        String org = organization("repodelete");
        byte[] shared = Content.random(12_000);
        byte[] own = Content.random(13_000);
        byte[] config = Content.utf8("{\"repo\":\"gone\"}");
        Registry.putManifest(org + "/gone", "v1", Registry.OCI_MANIFEST, Registry.imageManifest(org + "/gone", config, shared, own));
        Registry.putManifest(org + "/stays", "v1", Registry.OCI_MANIFEST,
                Registry.imageManifest(org + "/stays", Content.utf8("{\"repo\":\"stays\"}"), shared));
        given().delete("/api/v1/repository/" + org + "/gone").then().statusCode(204);
        assertEquals(own.length + config.length, GcApi.size("organization/" + org).getLong("sizeNonReferenced"));
        GcApi.waitOutSafetyWindow();

        JsonPath run = GcApi.run("organization/" + org, Map.of());

        assertEquals(own.length + config.length, run.getLong("bytesFreed"));
        assertFalse(GcApi.stored(store, Content.sha256(own)));
        assertTrue(GcApi.stored(store, Content.sha256(shared)));
        given().get("/v2/" + org + "/stays/blobs/" + Content.sha256(shared)).then().statusCode(200);
    }

    @Test
    void aCleanupStartsACollectionUnlessDisabled() {
        String org = organization("cleanupgc");
        byte[] first = Registry.pushImage(org + "/app", "one");
        byte[] second = Registry.pushImage(org + "/app", "two");
        GcApi.waitOutSafetyWindow();
        String runId = given().contentType("application/json").body("{\"tags\":[\"one\"]}")
                .post("/api/v1/repository/" + org + "/app/cleanup").then().statusCode(200)
                .body("deleted.digest", hasItem(Content.sha256(first)))
                .extract().path("gcRunId");
        assertEquals(2, GcApi.await(runId).getLong("blobsDeleted"));
        String none = given().contentType("application/json").body("{\"tags\":[\"two\"],\"disable_gc\":true}")
                .post("/api/v1/repository/" + org + "/app/cleanup").then().statusCode(200).extract().path("gcRunId");
        assertEquals(null, none);
        String layerOfSecond = new JsonObject(new String(second, StandardCharsets.UTF_8)).getJsonArray("layers")
                .getJsonObject(0).getString("digest");
        assertTrue(GcApi.stored(store, layerOfSecond), "with disable_gc the cleanup leaves collection to the background");
    }

    @Test
    void metricsCountWhatCollectionDid() {
        String org = organization("metrics");
        byte[] manifest = Registry.pushImage(org + "/app", "v1");
        given().delete("/v2/" + org + "/app/manifests/" + Content.sha256(manifest)).then().statusCode(202);
        GcApi.waitOutSafetyWindow();
        GcApi.run("organization/" + org, Map.of());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("berth_gc_blobs_deleted_total", "berth_gc_manifests_deleted_total", "berth_gc_freed_bytes_total",
                "berth_gc_queue_blobs", "berth_gc_queue_manifests", "berth_gc_runs_total", "berth_gc_run_duration_seconds_total")) {
            assertTrue(metrics.contains(name), name + " is published");
        }
        double freed = metrics.lines().filter(line -> line.startsWith("berth_gc_freed_bytes_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        assertTrue(freed > 0, "bytes freed are counted");
    }

    /** The bytes of the blobs (config and layers) an image manifest lists. */
    private static long uniqueBlobBytes(byte[] manifest) {
        JsonObject parsed = new JsonObject(new String(manifest, StandardCharsets.UTF_8));
        long total = parsed.getJsonObject("config").getLong("size");
        for (Object layer : parsed.getJsonArray("layers")) {
            total += ((JsonObject) layer).getLong("size");
        }
        return total;
    }

}
