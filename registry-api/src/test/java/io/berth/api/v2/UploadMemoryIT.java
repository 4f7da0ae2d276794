package io.berth.api.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Credentials;
import io.berth.api.testing.RegistryProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded whatever the number of uploads in flight: 64 uploads of 256 MiB at once
 * (16 GiB, sixty-four times the heap), half monolithic PUTs with a declared length and half PATCHes
 * streamed without one, against the packaged registry started with a 256 MiB heap, all succeed;
 * the registry is still running after them (with {@code -XX:+ExitOnOutOfMemoryError} an
 * OutOfMemoryError ends it), the blob reads back whole, and its peak resident memory stays under a
 * bound that a registry holding whole bodies, or unbounded buffers per upload, exceeds.
 */
class UploadMemoryIT {
    private static final int UPLOADS = 64;
    private static final long SIZE = 256L << 20;
    private static final String REPOSITORY = "memory/big";
    /** Heap, metaspace, code cache, threads and Netty's direct buffers, with room to spare: far below 64 bodies. */
    private static final long PEAK_RESIDENT_LIMIT = 768L << 20;
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    @TempDir
    Path work;

    // HTTP/1.1 as registry clients speak it: a body of unknown length goes chunked, one connection per upload.
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RegistryProcess registry;

    /** bin/berth's defaults, with the heap named here so the test means what its name says whatever they become. */
    private static String[] jvmOptions() throws Exception {
        List<String> options = new ArrayList<>(RegistryProcess.defaultJvmOptions());
        options.addAll(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
        return options.toArray(String[]::new);
    }

    @Test
    void sixtyFourUploadsOf256MiBAtOnceSucceedInA256MiBHeap() throws Exception {
        String digest = GeneratedBlob.sha256();
        try (RegistryProcess started = new RegistryProcess(work.resolve("data"), jvmOptions())) {
            registry = started;
            registry.start();
            registry.createOrganizations("memory");
            long idlePeak = peakResidentBytes();

            ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADS);
            CountDownLatch prepared = new CountDownLatch(UPLOADS);
            List<Future<?>> uploads = new ArrayList<>();
            try {
                for (int i = 0; i < UPLOADS; i++) {
                    boolean monolithic = i % 2 == 0;
                    uploads.add(uploaders.submit(() -> upload(monolithic, digest, prepared)));
                }
                // Every session is opened before any body is sent, so all 64 bodies are in flight together.
                assertTrue(prepared.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "uploads not opened in time" + logTail());
                long released = System.nanoTime();
                List<String> failures = new ArrayList<>();
                long deadline = released + DEADLINE.toNanos();
                for (int i = 0; i < UPLOADS; i++) {
                    String kind = i % 2 == 0 ? "monolithic" : "streamed";
                    try {
                        uploads.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (ExecutionException failed) {
                        failures.add("upload " + i + " (" + kind + "): " + failed.getCause());
                    } catch (TimeoutException late) {
                        failures.add("upload " + i + " (" + kind + "): not finished within " + DEADLINE);
                    }
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - released);
                boolean alive = registry.isAlive();
                long peak = alive ? peakResidentBytes() : -1;
                System.out.printf("UploadMemoryIT: %d uploads of %d MiB in %.1f s (%.0f MiB/s); registry VmHWM %d MiB idle, %s after;"
                        + " %d failed%n", UPLOADS, SIZE >> 20, elapsed.toMillis() / 1000.0,
                        (UPLOADS * (SIZE >> 20)) / Math.max(0.001, elapsed.toMillis() / 1000.0), idlePeak >> 20,
                        alive ? (peak >> 20) + " MiB" : "unknown (registry exited)", failures.size());

                assertTrue(alive, "the registry exited during the uploads" + logTail());
                assertEquals(List.of(), failures, "uploads failed" + logTail());
                assertTrue(peak < PEAK_RESIDENT_LIMIT, "registry peak resident memory " + (peak >> 20) + " MiB, over "
                        + (PEAK_RESIDENT_LIMIT >> 20) + " MiB" + logTail());
            } finally {
                uploaders.shutdownNow();
            }

            assertStoredWhole(digest);
        }
    }

    /**
     * One upload: a session opened with POST, then either the whole body in the final PUT (length
     * declared) or in one PATCH streamed chunked (length unknown) and a PUT without a body.
     */
    private Void upload(boolean monolithic, String digest, CountDownLatch prepared) throws Exception {
        String location;
        try {
            HttpResponse<String> opened = client.send(request("/v2/" + REPOSITORY + "/blobs/uploads/", token())
                    .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
            assertEquals(202, opened.statusCode(), "POST: " + opened.body());
            location = opened.headers().firstValue("Location").orElseThrow();
        } finally {
            prepared.countDown();
        }
        prepared.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (!monolithic) {
            HttpResponse<String> patched = client.send(request(location, token())
                    .header("Content-Type", "application/octet-stream")
                    .method("PATCH", BodyPublishers.ofInputStream(GeneratedBlob::new)).build(), BodyHandlers.ofString());
            assertEquals(202, patched.statusCode(), "PATCH: " + patched.body());
            assertEquals("0-" + (SIZE - 1), patched.headers().firstValue("Range").orElse(null), "PATCH Range");
            location = patched.headers().firstValue("Location").orElseThrow();
        }
        BodyPublisher body = monolithic
                ? BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(GeneratedBlob::new), SIZE)
                : BodyPublishers.noBody();
        // A fresh token: the PATCH of a loaded registry may outlast the previous one's five minutes.
        HttpRequest.Builder finish = request(location + (location.contains("?") ? "&" : "?") + "digest=" + digest, token()).PUT(body);
        if (monolithic) {
            finish.header("Content-Type", "application/octet-stream");
        }
        HttpResponse<String> finished = client.send(finish.build(), BodyHandlers.ofString());
        assertEquals(201, finished.statusCode(), "PUT: " + finished.body());
        assertEquals(digest, finished.headers().firstValue("Docker-Content-Digest").orElse(null), "PUT Docker-Content-Digest");
        return null;
    }

    /** The blob as a client reads it: its size, its digest, and its bytes hashed again as they stream in. */
    private void assertStoredWhole(String digest) throws Exception {
        String path = "/v2/" + REPOSITORY + "/blobs/" + digest;
        HttpResponse<Void> head = client.send(request(path, token()).method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.discarding());
        assertEquals(200, head.statusCode(), "HEAD " + path);
        assertEquals(SIZE, head.headers().firstValueAsLong("Content-Length").orElse(-1));
        assertEquals(digest, head.headers().firstValue("Docker-Content-Digest").orElse(null));

        HttpResponse<InputStream> get = client.send(request(path, token()).GET().build(), BodyHandlers.ofInputStream());
        assertEquals(200, get.statusCode(), "GET " + path);
        MessageDigest sha256 = sha256();
        long read = 0;
        try (InputStream content = get.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = content.read(buffer)) >= 0; read += n) {
                sha256.update(buffer, 0, n);
            }
        }
        assertEquals(SIZE, read, "bytes read back");
        assertEquals(digest, "sha256:" + HexFormat.of().formatHex(sha256.digest()), "digest of the bytes read back");
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(registry.baseUrl()).resolve(path)).timeout(DEADLINE)
                .header("Authorization", "Bearer " + token);
    }

    /** A registry token for pushing to and pulling from the repository, fetched as a client does. */
    private String token() throws IOException, InterruptedException {
        URI uri = URI.create(registry.baseUrl() + "/v2/token?service=berth&scope=repository:" + REPOSITORY + ":pull,push");
        HttpResponse<String> answer = client.send(Credentials.signedIn(uri).timeout(DEADLINE).build(), BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), "token: " + answer.body());
        return new JsonObject(answer.body()).getString("token");
    }

    /** The registry's peak resident set so far (VmHWM), which the kernel keeps for the process's whole life. */
    private long peakResidentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(registry.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim()) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/" + registry.pid() + "/status");
    }

    private String logTail() throws IOException {
        List<String> lines = registry.log().lines().toList();
        return "\nregistry log (last lines):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The blob every upload sends, generated as it is read (xorshift64 from a fixed seed, a block at
     * a time) so that neither JVM's heap ever holds it; the same bytes whatever the reads' sizes.
     */
    private static final class GeneratedBlob extends InputStream {
        private static final int BLOCK = 64 * 1024;
        private static final long SEED = 0x6265727468L;

        private final byte[] block = new byte[BLOCK];
        private final ByteBuffer words = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        private long state = SEED;
        private long remaining = SIZE;
        private int position = BLOCK;

        static String sha256() throws IOException {
            MessageDigest sha256 = UploadMemoryIT.sha256();
            try (InputStream blob = new GeneratedBlob()) {
                byte[] buffer = new byte[BLOCK];
                for (int n; (n = blob.read(buffer)) >= 0; ) {
                    sha256.update(buffer, 0, n);
                }
            }
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            if (position == BLOCK) {
                fill();
            }
            int count = (int) Math.min(Math.min(length, BLOCK - position), remaining);
            System.arraycopy(block, position, into, offset, count);
            position += count;
            remaining -= count;
            return count;
        }

        private void fill() {
            words.clear();
            while (words.hasRemaining()) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                words.putLong(state);
            }
            position = 0;
        }
    }
}
