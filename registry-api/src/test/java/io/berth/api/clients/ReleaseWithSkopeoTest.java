package io.berth.api.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Releases;
import io.berth.api.testing.Skopeo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images pushed with skopeo — a multi-platform index signed over HTTP (a manifest whose subject is
 * the index) with an SBOM on one platform, and a single-platform image — are released into
 * repositories that do not exist yet, and skopeo pulls them back digest for digest; the target lists
 * the signature and the SBOM as referrers.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ReleaseWithSkopeoTest {
    private static final String EMPTY = "application/vnd.oci.empty.v1+json";
    private static final String SIGNATURE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    private static final String SBOM = "application/spdx+json";

    @TempDir
    Path work;

    @Test
    void aSignedMultiPlatformImageIsReleasedAndPulledBackDigestForDigest() throws IOException {
        String namespace = "skopeorel" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        OciLayout multi = new OciLayout(work.resolve("multi"));
        String index = multi.addIndex("2.1", List.of("amd64", "arm64"), 60_000);
        OciLayout single = new OciLayout(work.resolve("single"));
        String tool = single.addImage("0.9", "amd64", 2, 40_000);
        Skopeo.copyAll(multi.reference("2.1"), namespace + "/app:2.1");
        Skopeo.copyAll(single.reference("0.9"), namespace + "/tool:0.9");

        byte[] indexBytes = given().accept(Registry.OCI_INDEX).get("/v2/" + namespace + "/app/manifests/" + index)
                .then().statusCode(200).extract().asByteArray();
        String platform = new JsonObject(new String(indexBytes, StandardCharsets.UTF_8)).getJsonArray("manifests")
                .getJsonObject(1).getString("digest");
        int platformSize = new JsonObject(new String(indexBytes, StandardCharsets.UTF_8)).getJsonArray("manifests")
                .getJsonObject(1).getInteger("size");
        String signature = pushReferrer(namespace + "/app", SIGNATURE, new JsonObject().put("mediaType", Registry.OCI_INDEX)
                .put("digest", index).put("size", indexBytes.length));
        String sbom = pushReferrer(namespace + "/app", SBOM, new JsonObject().put("mediaType", Registry.OCI_MANIFEST)
                .put("digest", platform).put("size", platformSize));

        String id = Releases.create("2026.12", new JsonArray()
                .add(Releases.image(namespace + "/app:2.1", namespace + "/release/app:2026.12"))
                .add(Releases.image(namespace + "/tool@" + tool, namespace + "/release/tool:2026.12")));
        JsonPath release = Releases.await(id);
        assertEquals("success", release.getString("status"), release.prettify());
        assertEquals(index, release.getString("items[0].digest"));
        assertEquals(tool, release.getString("items[1].digest"));

        Path back = work.resolve("back");
        Cli.run("skopeo", "copy", "--all", "--retry-times=0", "--src-tls-verify=false",
                Skopeo.reference(namespace + "/release/app:2026.12"), "oci:" + back + ":2026.12");
        assertEquals(index, onlyManifest(back));
        assertEquals(blobs(work.resolve("multi")), blobs(back));
        Path toolBack = work.resolve("tool-back");
        Skopeo.pull(namespace + "/release/tool:2026.12", toolBack);
        assertEquals(tool, onlyManifest(toolBack));
        assertEquals(blobs(work.resolve("single")), blobs(toolBack));

        given().get("/v2/" + namespace + "/release/app/referrers/" + index).then().statusCode(200)
                .body("manifests.digest", hasItem(signature)).body("manifests.artifactType", hasItem(SIGNATURE));
        given().get("/v2/" + namespace + "/release/app/referrers/" + platform).then().statusCode(200)
                .body("manifests.digest", hasItem(sbom));
        given().get("/api/v1/repository/" + namespace + "/release/app/logs").then().statusCode(200);
    }

    /** Pushes over HTTP an artifact whose subject is {@code subject} (a signature, an SBOM) and answers its digest. */
    private static String pushReferrer(String repository, String artifactType, JsonObject subject) {
        byte[] empty = Content.utf8("{}");
        byte[] payload = Content.utf8("{\"subject\":\"" + subject.getString("digest") + "\",\"n\":" + System.nanoTime() + "}");
        Registry.pushBlob(repository, empty);
        Registry.pushBlob(repository, payload);
        byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", Registry.OCI_MANIFEST)
                .put("artifactType", artifactType)
                .put("config", Registry.descriptor(EMPTY, empty))
                .put("layers", new JsonArray().add(Registry.descriptor("application/json", payload)))
                .put("subject", subject)
                .encode().getBytes(StandardCharsets.UTF_8);
        String digest = Content.sha256(manifest);
        Registry.putManifest(repository, digest, Registry.OCI_MANIFEST, manifest);
        return digest;
    }

    private static String onlyManifest(Path layout) throws IOException {
        JsonArray manifests = new JsonObject(Files.readString(layout.resolve("index.json"))).getJsonArray("manifests");
        assertEquals(1, manifests.size());
        return manifests.getJsonObject(0).getString("digest");
    }

    private static List<String> blobs(Path layout) throws IOException {
        try (var files = Files.list(layout.resolve("blobs/sha256"))) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
