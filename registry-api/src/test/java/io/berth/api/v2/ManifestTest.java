package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.Registry.OCI_CONFIG;
import static io.berth.api.testing.Registry.OCI_INDEX;
import static io.berth.api.testing.Registry.OCI_LAYER;
import static io.berth.api.testing.Registry.OCI_MANIFEST;
import static io.berth.api.testing.Registry.descriptor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ManifestTest {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    private static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final byte[] EMPTY_JSON = Content.utf8("{}");

    @Test
    void pushByTagThenPullByTagAndDigestByteForByte() {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"os\":\"linux\"}"), Content.random(100));
        String digest = Content.sha256(manifest);
        given().contentType(OCI_MANIFEST).body(manifest).when().put("/v2/" + repo + "/manifests/v1")
                .then().statusCode(201)
                .header("Location", "/v2/" + repo + "/manifests/" + digest)
                .header("Docker-Content-Digest", digest);
        for (String reference : new String[] {"v1", digest}) {
            Response get = given().accept(OCI_MANIFEST).when().get("/v2/" + repo + "/manifests/" + reference);
            get.then().statusCode(200).contentType(OCI_MANIFEST)
                    .header("Docker-Content-Digest", digest)
                    .header("Content-Length", String.valueOf(manifest.length));
            assertArrayEquals(manifest, get.asByteArray());
        }
    }

    @Test
    void headAnswersTheSameHeadersAsGetWithoutBody() {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.pushImage(repo, "latest");
        Response head = given().when().head("/v2/" + repo + "/manifests/latest");
        head.then().statusCode(200).contentType(OCI_MANIFEST)
                .header("Docker-Content-Digest", Content.sha256(manifest))
                .header("Content-Length", String.valueOf(manifest.length));
        assertEquals(0, head.asByteArray().length);
    }

    @Test
    void pushByDigestRequiresTheMatchingDigest() {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{}x"), Content.random(10));
        String digest = Content.sha256(manifest);
        Registry.putManifest(repo, digest, OCI_MANIFEST, manifest);
        given().when().get("/v2/" + repo + "/manifests/" + digest).then().statusCode(200);

        byte[] altered = (new String(manifest, StandardCharsets.UTF_8) + "  ").getBytes(StandardCharsets.UTF_8);
        ociError(given().contentType(OCI_MANIFEST).body(altered).when().put("/v2/" + repo + "/manifests/" + digest).then(),
                400, "DIGEST_INVALID");
        ociError(given().contentType(OCI_MANIFEST).body(manifest).when().put("/v2/" + repo + "/manifests/sha256:baddigeststring").then(),
                400, "DIGEST_INVALID");
    }

    @Test
    void sha512ManifestDigestsAreAccepted() {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"sha\":512}"), Content.random(10));
        String digest = Content.sha512(manifest);
        given().contentType(OCI_MANIFEST).body(manifest).when().put("/v2/" + repo + "/manifests/" + digest)
                .then().statusCode(201).header("Docker-Content-Digest", digest);
        assertArrayEquals(manifest, given().when().get("/v2/" + repo + "/manifests/" + digest).then().statusCode(200)
                .extract().asByteArray());
    }

    @Test
    void payloadIsKeptExactlyWithUnknownFieldsDataAndWhitespace() {
        String repo = Content.uniqueRepository("manifest");
        byte[] config = Content.utf8("{\"architecture\":\"amd64\"}");
        byte[] layer = Content.random(50);
        Registry.pushBlob(repo, config);
        Registry.pushBlob(repo, layer);
        String text = "{\n  \"schemaVersion\" : 2,\n  \"mediaType\": \"" + OCI_MANIFEST + "\",\n"
                + "  \"config\": {\"mediaType\": \"" + OCI_CONFIG + "\", \"digest\": \"" + Content.sha256(config)
                + "\", \"size\": " + config.length + ", \"data\": \"eyJhcmNoaXRlY3R1cmUiOiJhbWQ2NCJ9\", \"newUnspecifiedField\": {\"x\": [1,2]}},\n"
                + "  \"layers\": [{\"mediaType\": \"" + OCI_LAYER + "\", \"digest\": \"" + Content.sha256(layer)
                + "\", \"size\": " + layer.length + ", \"data\": null}],\n  \"custom\": \"\\u00e9t\u00e9\"\n}\n";
        byte[] manifest = Content.utf8(text);
        Registry.putManifest(repo, "exact", OCI_MANIFEST, manifest);
        assertArrayEquals(manifest, given().when().get("/v2/" + repo + "/manifests/exact").then().statusCode(200)
                .extract().asByteArray());
    }

    @Test
    void dockerSchema2ManifestAndManifestList() {
        String repo = Content.uniqueRepository("manifest");
        byte[] config = Content.utf8("{\"architecture\":\"arm64\",\"os\":\"linux\"}");
        byte[] layer = Content.random(200);
        Registry.pushBlob(repo, config);
        Registry.pushBlob(repo, layer);
        byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", DOCKER_MANIFEST)
                .put("config", descriptor(DOCKER_CONFIG, config))
                .put("layers", new JsonArray().add(descriptor(DOCKER_LAYER, layer)))
                .encode().getBytes(StandardCharsets.UTF_8);
        Registry.putManifest(repo, "arm64", DOCKER_MANIFEST, manifest);
        byte[] list = new JsonObject().put("schemaVersion", 2).put("mediaType", DOCKER_LIST)
                .put("manifests", new JsonArray().add(descriptor(DOCKER_MANIFEST, manifest)
                        .put("platform", new JsonObject().put("architecture", "arm64").put("os", "linux"))))
                .encode().getBytes(StandardCharsets.UTF_8);
        Registry.putManifest(repo, "multi", DOCKER_LIST, list);
        given().when().get("/v2/" + repo + "/manifests/multi").then().statusCode(200).contentType(DOCKER_LIST);
        given().when().get("/v2/" + repo + "/manifests/arm64").then().statusCode(200).contentType(DOCKER_MANIFEST);
    }

    @Test
    void ociIndexRequiresItsChildManifests() {
        String repo = Content.uniqueRepository("manifest");
        byte[] child = Registry.pushImage(repo, "child");
        byte[] absentChild = Content.utf8("{\"schemaVersion\":2}");
        byte[] index = index(descriptor(OCI_MANIFEST, child), descriptor(OCI_MANIFEST, absentChild));
        ociError(given().contentType(OCI_INDEX).body(index).when().put("/v2/" + repo + "/manifests/idx").then(),
                400, "MANIFEST_BLOB_UNKNOWN");
        Registry.putManifest(repo, "idx", OCI_INDEX, index(descriptor(OCI_MANIFEST, child)));
        Registry.putManifest(repo, "empty-index", OCI_INDEX, index());
        given().when().get("/v2/" + repo + "/manifests/idx").then().statusCode(200).contentType(OCI_INDEX);
    }

    @Test
    void everyReferencedBlobMustBeInTheRepository() {
        String repo = Content.uniqueRepository("manifest");
        byte[] config = Content.utf8("{\"c\":1}");
        byte[] layer = Content.random(30);
        Registry.pushBlob(repo, config);
        byte[] missingLayer = manifest(descriptor(OCI_CONFIG, config), descriptor(OCI_LAYER, layer));
        ociError(given().contentType(OCI_MANIFEST).body(missingLayer).when().put("/v2/" + repo + "/manifests/t").then(),
                400, "MANIFEST_BLOB_UNKNOWN");
        // A blob held by another repository does not count.
        Registry.pushBlob(Content.uniqueRepository("elsewhere"), layer);
        ociError(given().contentType(OCI_MANIFEST).body(missingLayer).when().put("/v2/" + repo + "/manifests/t").then(),
                400, "MANIFEST_BLOB_UNKNOWN");
        byte[] missingConfig = manifest(descriptor(OCI_CONFIG, Content.utf8("{\"absent\":true}")));
        ociError(given().contentType(OCI_MANIFEST).body(missingConfig).when().put("/v2/" + repo + "/manifests/t").then(),
                400, "MANIFEST_BLOB_UNKNOWN");
        given().when().get("/v2/" + repo + "/manifests/t").then().statusCode(404);
    }

    @Test
    void descriptorSizesMustBeTheSizesOfTheStoredContent() {
        String repo = Content.uniqueRepository("manifest");
        byte[] config = Content.utf8("{\"sized\":1}");
        byte[] layer = Content.random(300);
        Registry.pushBlob(repo, config);
        Registry.pushBlob(repo, layer);
        for (byte[] lying : List.of(
                manifest(descriptor(OCI_CONFIG, config).put("size", config.length + 1), descriptor(OCI_LAYER, layer)),
                manifest(descriptor(OCI_CONFIG, config), descriptor(OCI_LAYER, layer).put("size", 299)),
                manifest(descriptor(OCI_CONFIG, config), descriptor(OCI_LAYER, layer).put("size", 0)))) {
            ociError(given().contentType(OCI_MANIFEST).body(lying).when().put("/v2/" + repo + "/manifests/sized").then(),
                    400, "MANIFEST_INVALID");
        }
        ociError(given().when().get("/v2/" + repo + "/manifests/sized").then(), 404, "MANIFEST_UNKNOWN");
        byte[] child = manifest(descriptor(OCI_CONFIG, config), descriptor(OCI_LAYER, layer));
        Registry.putManifest(repo, "sized", OCI_MANIFEST, child);
        ociError(given().contentType(OCI_INDEX).body(index(descriptor(OCI_MANIFEST, child).put("size", child.length - 1)))
                .when().put("/v2/" + repo + "/manifests/list").then(), 400, "MANIFEST_INVALID");
        Registry.putManifest(repo, "list", OCI_INDEX, index(descriptor(OCI_MANIFEST, child)));
    }

    @Test
    void ambiguousManifestsAreManifestInvalidAndLeaveNothingBehind() {
        String repo = Content.uniqueRepository("manifest");
        byte[] child = Registry.pushImage(repo, "child");
        JsonObject config = new JsonObject(new String(child, StandardCharsets.UTF_8)).getJsonObject("config");
        String image = new String(manifest(config), StandardCharsets.UTF_8);
        String index = new String(index(descriptor(OCI_MANIFEST, child)), StandardCharsets.UTF_8);
        String[][] refused = {
                {OCI_MANIFEST, image.substring(0, image.length() - 1) + ",\"manifests\":[" + descriptor(OCI_MANIFEST, child).encode() + "]}"},
                {OCI_INDEX, index.substring(0, index.length() - 1) + ",\"layers\":[]}"},
                {OCI_INDEX, index.substring(0, index.length() - 1) + ",\"config\":" + config.encode() + "}"},
                {OCI_MANIFEST, image.replace("\"schemaVersion\":2", "\"schemaVersion\":2,\"schemaVersion\":2")},
                {OCI_MANIFEST, image.replace("\"mediaType\":\"" + OCI_MANIFEST, "\"mediaType\":\"" + OCI_INDEX)},
                {OCI_MANIFEST, image.substring(0, image.length() - 1) + ",\"artifactType\":\"a\\u0000b\"}"},
        };
        for (String[] push : refused) {
            ociError(given().contentType(push[0]).body(Content.utf8(push[1])).when().put("/v2/" + repo + "/manifests/ambiguous").then(),
                    400, "MANIFEST_INVALID");
            ociError(given().when().get("/v2/" + repo + "/manifests/" + Content.sha256(Content.utf8(push[1]))).then(), 404, "MANIFEST_UNKNOWN");
        }
        ociError(given().when().get("/v2/" + repo + "/manifests/ambiguous").then(), 404, "MANIFEST_UNKNOWN");
        given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("tags", equalTo(List.of("child")));
    }

    @Test
    void aManifestOfAnotherRepositoryIsUnknownHereEvenOnceCached() {
        String owner = Content.uniqueRepository("manifest");
        String other = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.pushImage(owner, "shared");
        Registry.pushImage(other, "own");
        String digest = Content.sha256(manifest);
        // Pulled in its own repository first, so the manifest cache holds it under that repository.
        for (int i = 0; i < 2; i++) {
            given().when().get("/v2/" + owner + "/manifests/" + digest).then().statusCode(200);
            given().when().head("/v2/" + owner + "/manifests/shared").then().statusCode(200);
        }
        for (String reference : new String[] {digest, "shared"}) {
            ociError(given().when().get("/v2/" + other + "/manifests/" + reference).then(), 404, "MANIFEST_UNKNOWN");
            given().when().head("/v2/" + other + "/manifests/" + reference).then().statusCode(404)
                    .header("Docker-Content-Digest", org.hamcrest.Matchers.nullValue());
            ociError(given().when().delete("/v2/" + other + "/manifests/" + reference).then(), 404, "MANIFEST_UNKNOWN");
        }
        given().when().get("/v2/" + owner + "/manifests/" + digest).then().statusCode(200);
    }

    @Test
    void nonDistributableLayersNeedNotBePushed() {
        String repo = Content.uniqueRepository("manifest");
        byte[] config = Content.utf8("{\"nd\":1}");
        Registry.pushBlob(repo, config);
        byte[] manifest = manifest(descriptor(OCI_CONFIG, config),
                descriptor("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", Content.random(40))
                        .put("urls", new JsonArray().add("https://example.com/layer")));
        Registry.putManifest(repo, "nd", OCI_MANIFEST, manifest);
    }

    @Test
    void artifactWithEmptyConfigAndSubjectAnswersOciSubject() {
        String repo = Content.uniqueRepository("manifest");
        Registry.pushBlob(repo, EMPTY_JSON);
        String absentSubject = Content.sha256(Content.random(8));
        byte[] artifact = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
                .put("artifactType", "application/vnd.example.sbom.v1")
                .put("config", descriptor("application/vnd.oci.empty.v1+json", EMPTY_JSON))
                .put("layers", new JsonArray().add(descriptor("application/vnd.oci.empty.v1+json", EMPTY_JSON)))
                .put("subject", new JsonObject().put("mediaType", OCI_MANIFEST).put("digest", absentSubject).put("size", 123))
                .encode().getBytes(StandardCharsets.UTF_8);
        given().contentType(OCI_MANIFEST).body(artifact).when().put("/v2/" + repo + "/manifests/" + Content.sha256(artifact))
                .then().statusCode(201).header("OCI-Subject", absentSubject);
    }

    @Test
    void malformedManifestsAreManifestInvalid() {
        String repo = Content.uniqueRepository("manifest");
        byte[] config = Content.utf8("{\"m\":1}");
        Registry.pushBlob(repo, config);
        String[] bodies = {
                "not json",
                "[1,2,3]",
                "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + descriptor(OCI_CONFIG, config).encode() + "}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"size\":1}}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + descriptor(OCI_CONFIG, config).encode()
                        + ",\"layers\":{}}",
                "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[]}",
                "[".repeat(5000) + "]".repeat(5000),
        };
        for (String body : bodies) {
            ociError(given().contentType(OCI_MANIFEST).body(Content.utf8(body)).when().put("/v2/" + repo + "/manifests/bad").then(),
                    400, "MANIFEST_INVALID");
        }
        ociError(given().contentType("application/vnd.docker.distribution.manifest.v1+prettyjws").body(Content.utf8("{}"))
                .when().put("/v2/" + repo + "/manifests/bad").then(), 400, "MANIFEST_INVALID");
    }

    @Test
    void manifestsOverTheSizeLimitAre413AndJustBelowAreAccepted() {
        String repo = Content.uniqueRepository("manifest");
        byte[] config = Content.utf8("{\"big\":1}");
        Registry.pushBlob(repo, config);
        JsonObject annotations = new JsonObject();
        for (int i = 0; i < 390; i++) {
            annotations.put("annotation." + i, "v".repeat(10_000));
        }
        byte[] large = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
                .put("config", descriptor(OCI_CONFIG, config)).put("layers", new JsonArray()).put("annotations", annotations)
                .encode().getBytes(StandardCharsets.UTF_8);
        Registry.putManifest(repo, "large", OCI_MANIFEST, large);
        annotations.put("overflow", "v".repeat(300_000));
        byte[] tooLarge = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
                .put("config", descriptor(OCI_CONFIG, config)).put("layers", new JsonArray()).put("annotations", annotations)
                .encode().getBytes(StandardCharsets.UTF_8);
        ociError(given().contentType(OCI_MANIFEST).body(tooLarge).when().put("/v2/" + repo + "/manifests/huge").then(),
                413, "MANIFEST_INVALID");
    }

    @Test
    void invalidTagsAreRefusedOnPushAndUnknownOnPull() {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.pushImage(repo, "ok");
        ociError(given().contentType(OCI_MANIFEST).body(manifest).when().put("/v2/" + repo + "/manifests/.bad").then(),
                400, "TAG_INVALID");
        ociError(given().when().get("/v2/" + repo + "/manifests/.INVALID_MANIFEST_NAME").then(), 404, "MANIFEST_UNKNOWN");
        given().when().head("/v2/" + repo + "/manifests/.INVALID_MANIFEST_NAME").then().statusCode(404);
        ociError(given().when().get("/v2/" + repo + "/manifests/missing-tag").then(), 404, "MANIFEST_UNKNOWN");
        ociError(given().when().get("/v2/" + repo + "/manifests/" + Content.sha256(Content.random(4))).then(), 404,
                "MANIFEST_UNKNOWN");
    }

    @Test
    void movingATagServesTheNewManifestAtOnce() {
        String repo = Content.uniqueRepository("manifest");
        Registry.pushImage(repo, "moving");
        given().when().head("/v2/" + repo + "/manifests/moving").then().statusCode(200);
        byte[] second = Registry.pushImage(repo, "moving");
        given().when().head("/v2/" + repo + "/manifests/moving").then().statusCode(200)
                .header("Docker-Content-Digest", Content.sha256(second));
    }

    @Test
    void aTagDeletedAndPushedAgainServesItsNewManifest() {
        String repo = Content.uniqueRepository("manifest");
        byte[] first = Registry.pushImage(repo, "reborn");
        given().when().get("/v2/" + repo + "/manifests/reborn").then().statusCode(200)
                .header("Docker-Content-Digest", Content.sha256(first));
        given().when().delete("/v2/" + repo + "/manifests/reborn").then().statusCode(202);
        given().when().head("/v2/" + repo + "/manifests/reborn").then().statusCode(404);
        byte[] second = Registry.pushImage(repo, "reborn");
        for (String method : new String[] {"HEAD", "GET"}) {
            given().when().request(method, "/v2/" + repo + "/manifests/reborn").then().statusCode(200)
                    .header("Docker-Content-Digest", Content.sha256(second));
        }
    }

    @Test
    void oneManifestPushedUnderManyTagsAndByDigestAtOnce() throws Exception {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"os\":\"linux\"}"), Content.random(64));
        String digest = Content.sha256(manifest);
        List<String> references = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            references.add(String.format("t%02d", i));
        }
        references.addAll(Collections.nCopies(4, digest));
        List<Future<Response>> pushes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(references.size());
        try {
            // Every push of the not yet stored manifest races to insert it; all must succeed.
            for (String reference : references) {
                pushes.add(pool.submit(() -> given().contentType(OCI_MANIFEST).body(manifest)
                        .when().put("/v2/" + repo + "/manifests/" + reference)));
            }
            for (Future<Response> push : pushes) {
                push.get(60, TimeUnit.SECONDS).then().statusCode(201).header("Docker-Content-Digest", digest);
            }
        } finally {
            pool.shutdownNow();
        }
        given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", equalTo(references.subList(0, 16)));
        for (String reference : List.of("t07", digest)) {
            assertArrayEquals(manifest, given().accept(OCI_MANIFEST).when().get("/v2/" + repo + "/manifests/" + reference)
                    .then().statusCode(200).extract().asByteArray());
        }
    }

    @Test
    void deleteByDigestRemovesTheManifestAndItsTags() {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.pushImage(repo, "one");
        Registry.putManifest(repo, "two", OCI_MANIFEST, manifest);
        Registry.pushImage(repo, "other");
        String digest = Content.sha256(manifest);
        given().when().get("/v2/" + repo + "/manifests/one").then().statusCode(200);
        given().when().delete("/v2/" + repo + "/manifests/" + digest).then().statusCode(202);
        given().when().head("/v2/" + repo + "/manifests/" + digest).then().statusCode(404);
        given().when().head("/v2/" + repo + "/manifests/one").then().statusCode(404);
        given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", equalTo(List.of("other")));
        ociError(given().when().delete("/v2/" + repo + "/manifests/" + digest).then(), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deleteByTagRemovesOnlyTheTag() {
        String repo = Content.uniqueRepository("manifest");
        byte[] manifest = Registry.pushImage(repo, "keep");
        Registry.putManifest(repo, "drop", OCI_MANIFEST, manifest);
        given().when().get("/v2/" + repo + "/manifests/drop").then().statusCode(200);
        given().when().delete("/v2/" + repo + "/manifests/drop").then().statusCode(202);
        given().when().head("/v2/" + repo + "/manifests/drop").then().statusCode(404);
        given().when().head("/v2/" + repo + "/manifests/" + Content.sha256(manifest)).then().statusCode(200);
        given().when().get("/v2/" + repo + "/tags/list").then().body("tags", hasItems("keep")).body("tags", not(hasItems("drop")));
        ociError(given().when().delete("/v2/" + repo + "/manifests/drop").then(), 404, "MANIFEST_UNKNOWN");
    }

    private static byte[] manifest(JsonObject config, JsonObject... layers) {
        JsonArray array = new JsonArray();
        for (JsonObject layer : layers) {
            array.add(layer);
        }
        return new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST).put("config", config)
                .put("layers", array).encode().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] index(JsonObject... manifests) {
        JsonArray array = new JsonArray();
        for (JsonObject manifest : manifests) {
            array.add(manifest);
        }
        return new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX).put("manifests", array)
                .encode().getBytes(StandardCharsets.UTF_8);
    }
}
