package io.berth.api.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Client-side steps the protocol tests share: pushing blobs and manifests as a client would. */
public final class Registry {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private Registry() {
    }

    /** Pushes a blob with a single monolithic POST and returns its digest. */
    public static String pushBlob(String repository, byte[] content) {
        String digest = Content.sha256(content);
        given().contentType(ContentType.BINARY).body(content)
                .queryParam("digest", digest)
                .when().post("/v2/" + repository + "/blobs/uploads/")
                .then().statusCode(201).header("Docker-Content-Digest", equalTo(digest));
        return digest;
    }

    public static JsonObject descriptor(String mediaType, byte[] content) {
        return new JsonObject().put("mediaType", mediaType).put("digest", Content.sha256(content)).put("size", content.length);
    }

    /** An image manifest over blobs pushed to {@code repository}: a config and the given layers. */
    public static byte[] imageManifest(String repository, byte[] config, byte[]... layers) {
        pushBlob(repository, config);
        JsonArray layerDescriptors = new JsonArray();
        for (byte[] layer : layers) {
            pushBlob(repository, layer);
            layerDescriptors.add(descriptor(OCI_LAYER, layer));
        }
        return new JsonObject()
                .put("schemaVersion", 2)
                .put("mediaType", OCI_MANIFEST)
                .put("config", descriptor(OCI_CONFIG, config))
                .put("layers", layerDescriptors)
                .encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Pushes a small image (config and one layer) and returns its manifest bytes. */
    public static byte[] pushImage(String repository, String reference) {
        byte[] manifest = imageManifest(repository, Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":"
                + System.nanoTime() + "}"), Content.random(1024));
        putManifest(repository, reference, OCI_MANIFEST, manifest);
        return manifest;
    }

    public static void putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        given().contentType(mediaType).body(manifest)
                .when().put("/v2/" + repository + "/manifests/" + reference)
                .then().statusCode(201).header("Docker-Content-Digest", equalTo(Content.sha256(manifest)));
    }

    /** An OCI index listing the manifests as linux/amd64 platforms. */
    public static byte[] index(byte[]... platforms) {
        JsonArray manifests = new JsonArray();
        for (byte[] platform : platforms) {
            manifests.add(descriptor(OCI_MANIFEST, platform)
                    .put("platform", new JsonObject().put("architecture", "amd64").put("os", "linux")));
        }
        return new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX).put("manifests", manifests)
                .encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A signature-like artifact whose subject is {@code subject}, its blobs pushed to {@code repository}. */
    public static byte[] referrer(String repository, byte[] subject) {
        byte[] config = Content.utf8("{\"signed\":" + System.nanoTime() + "}");
        byte[] payload = Content.random(2_000);
        pushBlob(repository, config);
        pushBlob(repository, payload);
        return new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
                .put("artifactType", "application/vnd.example.signature")
                .put("config", descriptor("application/vnd.example.signature.config+json", config))
                .put("layers", new JsonArray().add(descriptor("application/vnd.example.signature.payload", payload)))
                .put("subject", descriptor(OCI_MANIFEST, subject))
                .encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
