package io.berth.api.gc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.core.domain.Digest;
import io.berth.core.gc.BlobCollector;
import io.berth.core.metadata.Database;
import io.berth.core.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Collection that stopped half way, and storage objects that metadata lost. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(CollectingProfile.class)
class InterruptedCollectionTest {

    @Inject
    BlobStore store;

    @Inject
    BlobCollector blobs;

    @Inject
    Database database;

    @Inject
    Pool pool;

    @ConfigProperty(name = "berth.data-dir")
    String dataDir;

    @Test
    void aWorkerStoppedBetweenMetadataAndStorageLeavesNothingBrokenAndTheNextRunFinishes() {
        String org = GarbageCollectionTest.organization("crash");
        byte[] layer = Content.random(15_000);
        byte[] config = Content.utf8("{\"crash\":" + System.nanoTime() + "}");
        byte[] manifest = Registry.imageManifest(org + "/app", config, layer);
        Registry.putManifest(org + "/app", "v1", Registry.OCI_MANIFEST, manifest);
        given().delete("/v2/" + org + "/app/manifests/" + Content.sha256(manifest)).then().statusCode(202);

        // The first phase of collection commits for both blobs; the worker then stops before storage.
        for (byte[] blob : new byte[][] {layer, config}) {
            assertTrue(GcApi.completed(database.<Boolean>transaction(c -> blobs.mark(c, Content.sha256(blob)))));
        }

        // Clients see the blobs as absent, consistently: no HEAD answers for bytes about to go, no manifest can use them.
        given().head("/v2/" + org + "/app/blobs/" + Content.sha256(layer)).then().statusCode(404);
        given().contentType(Registry.OCI_MANIFEST).body(manifest).put("/v2/" + org + "/app/manifests/again")
                .then().statusCode(400);
        assertTrue(GcApi.stored(store, Content.sha256(layer)), "the bytes are still there");
        assertEquals(0, GcApi.size("organization/" + org).getLong("sizeSummary"), "blobs being deleted are not counted again");

        // A client pushing the same layer again gets a working image: its upload finishes the deletion first.
        Registry.pushBlob(org + "/app", layer);
        Registry.pushBlob(org + "/app", config);
        Registry.putManifest(org + "/app", "again", Registry.OCI_MANIFEST, manifest);
        given().get("/v2/" + org + "/app/blobs/" + Content.sha256(layer)).then().statusCode(200);
        given().delete("/v2/" + org + "/app/manifests/" + Content.sha256(manifest)).then().statusCode(202);
        for (byte[] blob : new byte[][] {layer, config}) {
            assertTrue(GcApi.completed(database.<Boolean>transaction(c -> blobs.mark(c, Content.sha256(blob)))));
        }

        JsonPath run = GcApi.run("organization/" + org, Map.of());

        assertEquals("succeeded", run.getString("status"));
        assertEquals(2, run.getLong("blobsDeleted"), "the next run finishes the abandoned deletions");
        assertFalse(GcApi.stored(store, Content.sha256(layer)));
        assertFalse(GcApi.stored(store, Content.sha256(config)));
        assertFalse(GcApi.completed(pool.preparedQuery("SELECT 1 FROM blobs WHERE digest = $1").execute(Tuple.of(Content.sha256(layer))))
                .iterator().hasNext());
    }

    @Test
    void aDeletionStorageRefusesLeavesTheBlobMarkedAndALaterRunFinishesIt() throws Exception {
        String org = GarbageCollectionTest.organization("refused");
        byte[] layer = Content.random(9_000);
        byte[] manifest = Registry.imageManifest(org + "/app", Content.utf8("{\"refused\":" + System.nanoTime() + "}"), layer);
        Registry.putManifest(org + "/app", "v1", Registry.OCI_MANIFEST, manifest);
        given().delete("/v2/" + org + "/app/manifests/" + Content.sha256(manifest)).then().statusCode(202);
        // Storage refuses to delete the layer: where its file was, a directory that is not empty.
        Path file = blobFile(Content.sha256(layer));
        Files.delete(file);
        Files.createDirectories(file.resolve("in-the-way"));
        GcApi.waitOutSafetyWindow();

        JsonPath refused = GcApi.run("organization/" + org, Map.of());

        assertEquals("succeeded", refused.getString("status"), "the run goes on past a refused deletion");
        assertEquals(1, refused.getLong("blobsDeleted"), "the config went, the layer did not");
        given().head("/v2/" + org + "/app/blobs/" + Content.sha256(layer)).then().statusCode(404);
        assertTrue(GcApi.completed(pool.preparedQuery("SELECT 1 FROM blobs WHERE digest = $1 AND state = 'deleting'")
                .execute(Tuple.of(Content.sha256(layer)))).iterator().hasNext(), "the layer stays marked for deletion");

        Files.delete(file.resolve("in-the-way"));
        JsonPath finished = GcApi.run("organization/" + org, Map.of());

        assertEquals(1, finished.getLong("blobsDeleted"));
        assertEquals(layer.length, finished.getLong("bytesFreed"));
        assertFalse(Files.exists(file));
    }

    private Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return Path.of(dataDir, "blobs", "blobs", "sha256", hex.substring(0, 2), hex);
    }

    @Test
    void theOrphanSweepReportsObjectsWithoutMetadataAndDeletesOnlyOldOnes() throws Exception {
        byte[] old = Content.random(3_000);
        byte[] fresh = Content.random(4_000);
        byte[] image = Registry.pushImage(GarbageCollectionTest.organization("orphans") + "/app", "v1");
        String described = new io.vertx.core.json.JsonObject(new String(image, java.nio.charset.StandardCharsets.UTF_8))
                .getJsonArray("layers").getJsonObject(0).getString("digest");
        for (byte[] orphan : new byte[][] {old, fresh}) {
            store.put(Digest.parse(Content.sha256(orphan)), Buffer.buffer(orphan)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        Files.setLastModifiedTime(blobFile(Content.sha256(old)), FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        JsonPath dryRun = GcApi.await(given().queryParam("dry_run", "true").post("/api/v1/superuser/gc/orphans")
                .then().statusCode(202).extract().path("id"));
        assertEquals("succeeded", dryRun.getString("status"));
        assertTrue(dryRun.getList("report.orphans.digest").containsAll(java.util.List.of(Content.sha256(old), Content.sha256(fresh))));
        assertFalse(dryRun.getList("report.orphans.digest").contains(described));
        assertEquals(0, dryRun.getLong("report.orphansDeleted"));
        assertTrue(GcApi.stored(store, Content.sha256(old)));

        JsonPath sweep = GcApi.await(given().post("/api/v1/superuser/gc/orphans").then().statusCode(202).extract().path("id"));

        assertEquals("orphans", sweep.getString("kind"));
        assertTrue(sweep.getLong("blobsReviewed") >= 4, "every stored object was looked at");
        assertFalse(GcApi.stored(store, Content.sha256(old)), "an orphan older than the safety age goes");
        assertTrue(GcApi.stored(store, Content.sha256(fresh)), "a recent one may be an upload about to be recorded");
        assertTrue(sweep.getLong("report.orphansDeleted") >= 1);
        assertTrue(sweep.getLong("bytesFreed") >= old.length);
    }
}
