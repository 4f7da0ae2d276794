package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.Registry.OCI_CONFIG;
import static io.berth.api.testing.Registry.OCI_INDEX;
import static io.berth.api.testing.Registry.OCI_LAYER;
import static io.berth.api.testing.Registry.OCI_MANIFEST;
import static io.berth.api.testing.Registry.descriptor;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code berth.manifest.allow-sparse=true}, manifests whose children or layers were never pushed
 * (what a mirror of one platform produces) are accepted and served byte for byte; what they reference
 * stays unknown until pushed, and once pushed it is kept like any referenced content.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(SparseManifestTest.AllowSparse.class)
class SparseManifestTest {

    public static class AllowSparse implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.manifest.allow-sparse", "true");
        }
    }

    @Test
    void anIndexWhosePlatformsWereNotPushedIsStoredAndServedByteForByte() {
        String repo = Content.uniqueRepository("sparseindex");
        byte[] amd64 = imageManifest(Content.utf8("{\"architecture\":\"amd64\"}"), Content.random(700));
        byte[] arm64 = imageManifest(Content.utf8("{\"architecture\":\"arm64\"}"), Content.random(800));
        byte[] index = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX)
                .put("manifests", new JsonArray().add(descriptor(OCI_MANIFEST, amd64)).add(descriptor(OCI_MANIFEST, arm64)))
                .encode().getBytes(StandardCharsets.UTF_8);

        Registry.putManifest(repo, "mirrored", OCI_INDEX, index);

        assertArrayEquals(index, given().get("/v2/" + repo + "/manifests/mirrored").then().statusCode(200)
                .header("Content-Type", OCI_INDEX).extract().asByteArray());
        ociError(given().get("/v2/" + repo + "/manifests/" + Content.sha256(amd64)).then(), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void anImageWhoseLayersWereNotPushedIsStoredAndItsLayersArriveLater() {
        String repo = Content.uniqueRepository("sparseimage");
        byte[] config = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"sparse\":true}");
        byte[] layer = Content.random(4096);
        byte[] manifest = imageManifest(config, layer);

        Registry.putManifest(repo, "partial", OCI_MANIFEST, manifest);
        assertArrayEquals(manifest, given().get("/v2/" + repo + "/manifests/partial").then().statusCode(200).extract().asByteArray());
        given().head("/v2/" + repo + "/blobs/" + Content.sha256(layer)).then().statusCode(404);

        Registry.pushBlob(repo, config);
        Registry.pushBlob(repo, layer);
        assertArrayEquals(layer, given().get("/v2/" + repo + "/blobs/" + Content.sha256(layer)).then().statusCode(200)
                .extract().asByteArray());
        given().get("/api/v1/repository/" + repo + "/manifest/" + Content.sha256(manifest)).then().statusCode(200);
    }

    @Test
    void structuralChecksStillApplyToSparseManifests() {
        String repo = Content.uniqueRepository("sparseinvalid");
        byte[] noConfig = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
                .put("layers", new JsonArray()).encode().getBytes(StandardCharsets.UTF_8);
        ociError(given().contentType(OCI_MANIFEST).body(noConfig).put("/v2/" + repo + "/manifests/bad").then(),
                400, "MANIFEST_INVALID");

        // What is present must be described at its stored size, sparse or not.
        byte[] config = Content.utf8("{\"sparse\":\"sized\"}");
        Registry.pushBlob(repo, config);
        byte[] wrongSize = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
                .put("config", descriptor(OCI_CONFIG, config).put("size", config.length + 1))
                .put("layers", new JsonArray().add(descriptor(OCI_LAYER, Content.random(64))))
                .encode().getBytes(StandardCharsets.UTF_8);
        ociError(given().contentType(OCI_MANIFEST).body(wrongSize).put("/v2/" + repo + "/manifests/sized").then(),
                400, "MANIFEST_INVALID");
    }

    /** An image manifest over a config and one layer, neither pushed. */
    private static byte[] imageManifest(byte[] config, byte[] layer) {
        return new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
                .put("config", descriptor(OCI_CONFIG, config))
                .put("layers", new JsonArray().add(descriptor(OCI_LAYER, layer)))
                .encode().getBytes(StandardCharsets.UTF_8);
    }
}
