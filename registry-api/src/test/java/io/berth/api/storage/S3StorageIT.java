package io.berth.api.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.Http;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.RegistryProcess;
import io.berth.api.testing.S3ServerProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged registry on S3 storage (a real S3-compatible server, S3Proxy, in its own process):
 * real clients round-trip images, small chunks assemble into one object, and an object-store outage
 * answers 503 with an OCI error body.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3StorageIT {
    private static final String BUCKET = "berth-it";

    @TempDir
    static Path work;

    private static final HttpClient http = HttpClient.newHttpClient();
    private static S3ServerProcess s3;
    private static RegistryProcess registry;

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3ServerProcess(work, BUCKET);
        registry = new RegistryProcess(work.resolve("data"), s3.registryOptions().toArray(String[]::new));
        registry.start();
        registry.createOrganizations("s3");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void blobDownloadsCanRedirectToPresignedUrls() throws Exception {
        byte[] blob = Content.random(5000);
        String digest = Content.sha256(blob);
        List<String> options = new java.util.ArrayList<>(s3.registryOptions());
        options.add("-Dberth.storage.s3.redirect=true");
        try (RegistryProcess redirecting = new RegistryProcess(work.resolve("redirecting"), options.toArray(String[]::new))) {
            redirecting.start();
            redirecting.createOrganizations("s3");
            HttpResponse<Void> pushed = http.send(Credentials.signedIn(URI.create(redirecting.baseUrl()
                    + "/v2/s3/redirect/blobs/uploads/?digest=" + digest)).POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(201, pushed.statusCode());
            HttpResponse<byte[]> redirect = http.send(Credentials.signedIn(URI.create(redirecting.baseUrl()
                    + "/v2/s3/redirect/blobs/" + digest)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(307, redirect.statusCode());
            String location = redirect.headers().firstValue("Location").orElseThrow();
            HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, fetched.statusCode());
            assertArrayEquals(blob, fetched.body());
        }
    }

    @Test
    @Order(2)
    void skopeoRoundTripsAnImageThroughS3() throws Exception {
        OciLayout layout = new OciLayout(work.resolve("source"));
        String digest = layout.addIndex("multi", List.of("amd64", "arm64"), 300_000);
        String image = "docker://localhost:" + registry.port() + "/s3/app:multi";
        Cli.run("skopeo", "copy", "--all", "--dest-tls-verify=false", layout.reference("multi"), image);
        Path back = work.resolve("back");
        Cli.run("skopeo", "copy", "--all", "--src-tls-verify=false", image, "oci:" + back + ":multi");
        assertEquals(digest, new JsonObject(Files.readString(back.resolve("index.json")))
                .getJsonArray("manifests").getJsonObject(0).getString("digest"));
        try (var expected = Files.list(work.resolve("source/blobs/sha256")); var actual = Files.list(back.resolve("blobs/sha256"))) {
            assertEquals(expected.map(p -> p.getFileName().toString()).sorted().toList(),
                    actual.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    @Order(3)
    void chunksSmallerThanAPartAssembleIntoOneBlob() throws Exception {
        byte[] blob = Content.random(11 * 1024 * 1024);
        String digest = Content.sha256(blob);
        String location = Http.send(registry, "POST", "/v2/s3/chunks/blobs/uploads/", null, null, 202).headers().firstValue("Location").orElseThrow();
        int[] cuts = {0, 3_000_000, 7_000_000, blob.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            location = Http.send(registry, "PATCH", location, Arrays.copyOfRange(blob, cuts[i], cuts[i + 1]), cuts[i] + "-" + (cuts[i + 1] - 1), 202)
                    .headers().firstValue("Location").orElseThrow();
        }
        Http.send(registry, "PUT", location + "?digest=" + digest, null, null, 201);
        assertArrayEquals(blob, Http.send(registry, "GET", "/v2/s3/chunks/blobs/" + digest, null, null, 200).body());
        HttpResponse<byte[]> range = http.send(Credentials.signedIn(URI.create(registry.baseUrl() + "/v2/s3/chunks/blobs/" + digest))
                .header("Range", "bytes=5000000-5000999").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(blob, 5_000_000, 5_001_000), range.body());
    }

    /** Last: it takes the object store down for good. */
    @Test
    @Order(4)
    void anObjectStoreOutageAnswers503WithAnOciError() throws Exception {
        byte[] blob = Content.random(1000);
        Http.send(registry, "POST", "/v2/s3/outage/blobs/uploads/?digest=" + Content.sha256(blob), blob, null, 201);
        s3.kill();
        byte[] another = Content.random(1000);
        HttpResponse<byte[]> push = Http.send(registry, "POST", "/v2/s3/outage/blobs/uploads/?digest=" + Content.sha256(another), another, null, 503);
        assertEquals("UNAVAILABLE", new JsonObject(new String(push.body(), StandardCharsets.UTF_8))
                .getJsonArray("errors").getJsonObject(0).getString("code"));
        Http.send(registry, "GET", "/v2/s3/outage/blobs/" + Content.sha256(blob), null, null, 503);
        Http.send(registry, "GET", "/v2/", null, null, 200);
    }
}
