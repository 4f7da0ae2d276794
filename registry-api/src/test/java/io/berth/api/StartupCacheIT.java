package io.berth.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Credentials;
import io.berth.api.testing.RegistryProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/aot-cache, which bin/berth runs once per build: on JDK 25 and later it trains the packaged
 * registry (on its embedded default, whatever the environment configures) and leaves an
 * ahead-of-time cache that a start with {@code -XX:AOTMode=on} (which refuses to start on an unusable
 * cache) takes; on an older JDK it makes none and succeeds.
 */
class StartupCacheIT {
    @TempDir
    Path work;

    @Test
    void theTrainedCacheIsTakenByAStartThatRequiresIt() throws Exception {
        Path app = RegistryProcess.runnerJar().getParent();
        Path root = RegistryProcess.projectRoot();
        Path cache = app.resolve("berth.aot");
        Files.deleteIfExists(cache);

        ProcessBuilder training = new ProcessBuilder(root.resolve("bin/aot-cache").toString(), app.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("training.log").toFile());
        // The cache is specific to one JVM: the one the registry is started with below.
        training.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Configuration meant for the real registry must not reach the throw-away training start.
        training.environment().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:9/production");
        training.environment().put("BERTH_STORAGE_TYPE", "s3");
        Process process = training.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "training did not finish");
        String log = Files.readString(work.resolve("training.log"));
        assertEquals(0, process.exitValue(), log);

        if (Runtime.version().feature() < 25) {
            assertFalse(Files.exists(cache), "a cache was made for a JDK without AOTCacheOutput");
            return;
        }
        assertTrue(Files.size(cache) > 1_000_000, "no cache written: " + log);
        // As bin/berth starts it: the cache was trained under the same default options.
        List<String> options = new ArrayList<>(RegistryProcess.defaultJvmOptions());
        options.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache));
        try (RegistryProcess registry = new RegistryProcess(work.resolve("data"), options.toArray(String[]::new))) {
            registry.start();
            HttpResponse<Void> base = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/"))
                    .header("Authorization", Credentials.basic("admin", Credentials.ADMIN_PASSWORD)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, base.statusCode());
        }
    }
}
