package io.berth.api.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server (S3Proxy, from Maven Central) in its own process, with one bucket, for
 * tests of the packaged registry on S3 storage. Its class path comes from the storage-s3 build.
 */
public final class S3ServerProcess implements AutoCloseable {
    public static final String ACCESS_KEY = "berth-test";
    public static final String SECRET_KEY = "berth-test-secret";

    private final Process process;
    private final String endpoint;
    private final String bucket;

    public S3ServerProcess(Path logDir, String bucket) throws IOException {
        this.bucket = bucket;
        String classpath = System.getProperty("berth.s3-server.classes") + ":"
                + Files.readString(Path.of(System.getProperty("berth.s3-server.classpath"))).trim();
        Path log = logDir.resolve("s3-" + bucket + ".log");
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "io.berth.storage.s3.S3TestServer", bucket)
                .redirectError(log.toFile())
                .start();
        String ready = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("S3 server did not start: " + Files.readString(log));
        }
        endpoint = ready.substring("READY ".length());
    }

    /** The registry settings that put its blobs in this server's bucket. */
    public List<String> registryOptions() {
        return List.of(
                "-Dberth.storage.type=s3",
                "-Dberth.storage.s3.bucket=" + bucket,
                "-Dberth.storage.s3.endpoint=" + endpoint,
                "-Dberth.storage.s3.path-style-access=true",
                "-Dberth.storage.s3.access-key-id=" + ACCESS_KEY,
                "-Dberth.storage.s3.secret-access-key=" + SECRET_KEY);
    }

    /** Ends the server: the object store becomes unreachable. */
    public void kill() throws InterruptedException {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
