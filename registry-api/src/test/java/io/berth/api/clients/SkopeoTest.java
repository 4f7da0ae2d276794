package io.berth.api.clients;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Skopeo;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo round trips: what goes in comes back digest for digest. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SkopeoTest {

    @TempDir
    Path work;

    @Test
    void singleArchitectureImageRoundTrips() throws IOException {
        OciLayout source = new OciLayout(work.resolve("source"));
        String digest = source.addImage("v1", "amd64", 3, 200_000);
        String repo = Content.uniqueRepository("skopeo");

        copy(source.reference("v1"), Skopeo.reference(repo + ":v1"));
        assertEquals(digest, Content.sha256(Cli.run("skopeo", "inspect", "--tls-verify=false", "--raw",
                Skopeo.reference(repo + ":v1")).getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        Path back = work.resolve("back");
        copy(Skopeo.reference(repo + ":v1"), "oci:" + back + ":v1");
        assertEquals(digest, manifestDigest(back));
        assertSameBlobs(work.resolve("source"), back);

        // The pulled image is usable: umoci unpacks it into a root filesystem with every layer's file.
        Path bundle = work.resolve("bundle");
        Cli.run("umoci", "unpack", "--rootless", "--image", back + ":v1", bundle.toString());
        for (int layer = 0; layer < 3; layer++) {
            assertEquals(200_000, Files.size(bundle.resolve("rootfs").resolve("layer-amd64-" + layer + ".bin")));
        }
    }

    @Test
    void multiPlatformIndexRoundTripsWithEveryPlatform() throws IOException {
        OciLayout source = new OciLayout(work.resolve("source"));
        String indexDigest = source.addIndex("multi", List.of("amd64", "arm64"), 100_000);
        String repo = Content.uniqueRepository("skopeo");

        copy("--all", source.reference("multi"), Skopeo.reference(repo + ":multi"));
        Path back = work.resolve("back");
        copy("--all", Skopeo.reference(repo + ":multi"), "oci:" + back + ":multi");
        assertEquals(indexDigest, manifestDigest(back));
        assertSameBlobs(work.resolve("source"), back);
        given().when().get("/v2/" + repo + "/manifests/multi").then().statusCode(200)
                .contentType(OciLayout.INDEX).header("Docker-Content-Digest", indexDigest);
    }

    @Test
    void copyBetweenRepositoriesMountsInsteadOfUploading() {
        OciLayout source = new OciLayout(work.resolve("source"));
        String digest = source.addImage("v1", "amd64", 2, 150_000);
        String from = Content.uniqueRepository("skopeo");
        String to = Content.uniqueRepository("skopeo");
        copy(source.reference("v1"), Skopeo.reference(from + ":v1"));

        double mountsBefore = mounts();
        copy(Skopeo.reference(from + ":v1"), Skopeo.reference(to + ":v1"));
        // skopeo mounts layers it knows the source of (the small config it uploads again).
        assertTrue(mounts() - mountsBefore >= 2, "both layers are mounted, not uploaded again");
        assertEquals(digest, Content.sha256(Cli.run("skopeo", "inspect", "--tls-verify=false", "--raw",
                Skopeo.reference(to + ":v1")).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static void copy(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false",
                "--dest-tls-verify=false", "--retry-times=0"));
        command.addAll(List.of(arguments));
        Cli.run(command);
    }

    private static double mounts() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("berth_blob_mounts_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String manifestDigest(Path layout) throws IOException {
        JsonArray manifests = new JsonObject(Files.readString(layout.resolve("index.json"))).getJsonArray("manifests");
        assertEquals(1, manifests.size());
        return manifests.getJsonObject(0).getString("digest");
    }

    private static void assertSameBlobs(Path expected, Path actual) throws IOException {
        try (var expectedBlobs = Files.list(expected.resolve("blobs/sha256"));
                var actualBlobs = Files.list(actual.resolve("blobs/sha256"))) {
            assertEquals(expectedBlobs.map(p -> p.getFileName().toString()).sorted().toList(),
                    actualBlobs.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
