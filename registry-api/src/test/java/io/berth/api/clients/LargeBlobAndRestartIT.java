package io.berth.api.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.RegistryProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged registry with a 256 MiB heap takes and serves a 1 GiB blob (so bodies must stream),
 * and keeps everything across a restart (SIGTERM), pulls it had counted and not yet written included.
 */
class LargeBlobAndRestartIT {
    private static final long ONE_GIB = 1L << 30;

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void oneGibBlobStreamsThroughA256MibHeapAndEverythingSurvivesARestart() throws Exception {
        Path dataDir = work.resolve("data");
        String repo = "large/blob";
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String imageDigest = layout.addImage("v1", "amd64", 2, 300_000);
        String blobDigest;
        // Pull statistics written only when the node stops: the pull below must survive the SIGTERM.
        try (RegistryProcess registry = new RegistryProcess(dataDir, "-Xmx256m", "-Dberth.pull-statistics.flush-interval=1h")) {
            registry.start();
            registry.createOrganizations("large", "durable");
            blobDigest = pushStreamed(registry, repo, ONE_GIB);
            assertEquals(blobDigest, pullDigest(registry, repo, blobDigest, ONE_GIB));
            Cli.run("skopeo", "copy", "--dest-tls-verify=false", layout.reference("v1"),
                    "docker://localhost:" + registry.port() + "/durable/app:v1");
            Cli.run("skopeo", "copy", "--src-tls-verify=false", "docker://localhost:" + registry.port() + "/durable/app:v1",
                    "oci:" + work.resolve("before-restart") + ":v1");
        }
        try (RegistryProcess restarted = new RegistryProcess(dataDir, "-Xmx256m")) {
            restarted.start();
            HttpResponse<String> tags = http.send(Credentials.signedIn(URI.create(restarted.baseUrl()
                    + "/api/v1/repository/durable/app/tag/?specificTag=v1")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, tags.statusCode(), tags.body());
            assertEquals(1, new io.vertx.core.json.JsonObject(tags.body()).getJsonArray("tags").getJsonObject(0).getInteger("pullCount"),
                    "the pull counted before the stop was written at the stop: " + tags.body());
            Path back = work.resolve("back");
            Cli.run("skopeo", "copy", "--src-tls-verify=false",
                    "docker://localhost:" + restarted.port() + "/durable/app:v1", "oci:" + back + ":v1");
            assertEquals(imageDigest, new io.vertx.core.json.JsonObject(Files.readString(back.resolve("index.json")))
                    .getJsonArray("manifests").getJsonObject(0).getString("digest"));
            HttpResponse<Void> head = http.send(Credentials.signedIn(URI.create(restarted.baseUrl() + "/v2/" + repo
                    + "/blobs/" + blobDigest)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, head.statusCode());
            assertEquals(String.valueOf(ONE_GIB), head.headers().firstValue("Content-Length").orElseThrow());
        }
    }

    /** POST, one PATCH streamed with chunked transfer (no Content-Length), then PUT with the digest. */
    private String pushStreamed(RegistryProcess registry, String repo, long size) throws Exception {
        HttpResponse<Void> start = http.send(Credentials.signedIn(URI.create(registry.baseUrl() + "/v2/" + repo
                + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(202, start.statusCode());
        String location = start.headers().firstValue("Location").orElseThrow();

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] block = Content.random(1 << 20);
        HttpResponse<String> patch = http.send(Credentials.signedIn(URI.create(registry.baseUrl() + location))
                        .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> new DigestInputStream(
                                new RepeatingStream(block, size), sha256)))
                        .header("Content-Type", "application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, patch.statusCode(), patch.body());
        assertEquals("0-" + (size - 1), patch.headers().firstValue("Range").orElseThrow());
        String digest = "sha256:" + HexFormat.of().formatHex(sha256.digest());

        HttpResponse<String> put = http.send(Credentials.signedIn(URI.create(registry.baseUrl()
                        + patch.headers().firstValue("Location").orElseThrow() + "?digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());
        return digest;
    }

    private String pullDigest(RegistryProcess registry, String repo, String digest, long size) throws Exception {
        HttpResponse<InputStream> get = http.send(Credentials.signedIn(URI.create(registry.baseUrl() + "/v2/" + repo
                + "/blobs/" + digest)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, get.statusCode());
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream body = get.body()) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = body.read(buffer)) > 0) {
                sha256.update(buffer, 0, read);
                total += read;
            }
        }
        assertEquals(size, total);
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    /** {@code size} bytes made of one random block repeated, generated as they are read. */
    private static final class RepeatingStream extends InputStream {
        private final byte[] block;
        private long remaining;
        private int position;

        RepeatingStream(byte[] block, long size) {
            this.block = block;
            this.remaining = size;
            // Vary the start so consecutive runs do not send identical content.
            this.position = ThreadLocalRandom.current().nextInt(block.length);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(Math.min(length, remaining), block.length - position);
            System.arraycopy(block, position, target, offset, count);
            position = (position + count) % block.length;
            remaining -= count;
            return count;
        }
    }
}
