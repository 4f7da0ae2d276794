package io.berth.api.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.RegistryProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/run, the one command of the benchmark, in its quick mode against this build: it installs
 * Distribution when missing, runs every scenario against both registries, and reports a median of
 * each for both, with no failed step. The sizes are tiny, so nothing here is a measurement.
 */
class QuickBenchmarkIT {
    private static final List<String> SCENARIOS = List.of("push-monolithic", "push-chunked", "pull", "pull-concurrent",
            "manifest-head", "manifest-get", "manifest-get-java", "blob-head", "small-blobs", "concurrent-images", "tags");

    @TempDir
    Path work;

    @Test
    void everyScenarioRunsAgainstBothRegistries() throws Exception {
        Path root = RegistryProcess.projectRoot();
        Path results = work.resolve("results");
        ProcessBuilder bench = new ProcessBuilder(root.resolve("bench/run").toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("bench.log").toFile());
        bench.environment().put("BENCH_QUICK", "1");
        bench.environment().put("ROUNDS", "1");
        bench.environment().put("STORAGES", "tmpfs");
        bench.environment().put("BENCH_SKIP_BUILD", "1");
        bench.environment().put("BENCH_WORK_DIR", work.resolve("work").toString());
        bench.environment().put("BENCH_RESULTS_DIR", results.toString());
        bench.environment().put("BERTH_PORT", String.valueOf(freePort()));
        bench.environment().put("DIST_PORT", String.valueOf(freePort()));
        Process process = bench.start();
        boolean finished = process.waitFor(15, TimeUnit.MINUTES);
        if (!finished) {
            process.destroy();
        }
        String log = Files.readString(work.resolve("bench.log"));
        assertTrue(finished, "bench/run did not finish: " + log);
        assertEquals(0, process.exitValue(), log);

        JsonObject report = new JsonObject(Files.readString(results.resolve("latest.json")));
        assertEquals(new JsonArray(), report.getJsonArray("failures"), log);
        Set<String> measured = new HashSet<>();
        for (Object entry : report.getJsonArray("medians")) {
            JsonObject median = (JsonObject) entry;
            if (median.getValue("berth_median") != null && median.getValue("distribution_median") != null) {
                measured.add(median.getString("scenario"));
            }
        }
        assertTrue(measured.containsAll(SCENARIOS), "scenarios with both medians: " + measured);
        assertTrue(Files.size(results.resolve("latest.md")) > 0);
        assertTrue(Files.readString(results.resolve("latest-ratios.svg")).contains("<svg"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
