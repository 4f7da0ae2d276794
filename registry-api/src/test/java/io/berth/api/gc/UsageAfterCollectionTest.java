package io.berth.api.gc;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Quotas;
import io.berth.api.testing.Registry;
import io.berth.core.storage.BlobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A namespace's usage counter follows pushes, deletes and garbage collection, and equals a recount
 * from the tables after each; the bytes of an upload a Reject limit refused are collected like any
 * upload nothing references.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(CollectingProfile.class)
class UsageAfterCollectionTest {

    @Inject
    BlobStore store;

    @Test
    void usageEqualsARecountAfterPushesDeletesAndCollection() {
        String org = Quotas.organization("counted");
        byte[] shared = Content.random(40_000);
        byte[] onlyA = Content.random(30_000);
        byte[] configA = Content.utf8("{\"image\":\"a\"}");
        byte[] configB = Content.utf8("{\"image\":\"b\"}");
        byte[] manifestA = Registry.imageManifest(org + "/a", configA, shared, onlyA);
        Registry.putManifest(org + "/a", "v1", Registry.OCI_MANIFEST, manifestA);
        byte[] manifestB = Registry.imageManifest(org + "/b", configB, shared);
        Registry.putManifest(org + "/b", "v1", Registry.OCI_MANIFEST, manifestB);
        Registry.pushImage(org + "/b", "temporary");
        long all = shared.length + onlyA.length + configA.length + configB.length + manifestA.length + manifestB.length;
        long untaggedImage = Quotas.usage(org) - all;
        assertAgrees(org, all + untaggedImage);

        // Deleting a tag frees nothing yet: the manifest stays until collection takes it.
        given().delete("/v2/" + org + "/b/manifests/temporary").then().statusCode(202);
        assertAgrees(org, all + untaggedImage);
        // Deleting a manifest frees its payload at once, its blobs when collection finds nothing needs them.
        given().delete("/v2/" + org + "/a/manifests/" + Content.sha256(manifestA)).then().statusCode(202);
        assertAgrees(org, all + untaggedImage - manifestA.length);

        GcApi.waitOutSafetyWindow();
        JsonPath run = GcApi.run("organization/" + org, Map.of("delete_untagged", true));
        assertEquals("succeeded", run.getString("status"));
        // Left: what b's image holds, and the shared layer a still links (b's manifest references it, so it is kept).
        long left = shared.length + configB.length + manifestB.length;
        assertAgrees(org, left);

        Accounts.asAdmin().delete("/api/v1/repository/" + org + "/a").then().statusCode(204);
        assertAgrees(org, left);
        Accounts.asAdmin().delete("/api/v1/repository/" + org + "/b").then().statusCode(204);
        assertAgrees(org, 0);
    }

    @Test
    void theBytesOfARefusedUploadAreCollected() {
        String org = Quotas.organization("refusedbytes");
        Quotas.rejectingAt(org, 10_000);
        byte[] big = Content.random(2_000_000);
        String location = given().post("/v2/" + org + "/app/blobs/uploads/").then().statusCode(202).extract().header("Location");
        ociError(given().contentType(ContentType.BINARY).body(big).queryParam("digest", Content.sha256(big)).put(location).then(),
                403, "DENIED");
        assertAgrees(org, 0);

        GcApi.waitOutSafetyWindow();
        GcApi.run("superuser", Map.of());
        assertFalse(GcApi.stored(store, Content.sha256(big)), "the refused bytes were collected");
        assertAgrees(org, 0);
        // The namespace is at nothing: a blob that fits is taken.
        Registry.pushBlob(org + "/app", Content.random(5_000));
        assertTrue(Quotas.usage(org) == 5_000);
    }

    private static void assertAgrees(String org, long expected) {
        assertEquals(expected, Quotas.usage(org), "the counter");
        JsonPath recount = Quotas.recount(org);
        assertEquals(expected, recount.getLong("recounted_bytes"), "the recount");
        assertEquals(0, recount.getLong("drift_bytes"), "drift");
        assertEquals(0, recount.getLong("drifted_digests"), "drifted digests");
    }
}
