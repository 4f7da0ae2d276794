package io.berth.api.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client program. A missing program fails the test: these tests prove the registry works
 * with the clients people use, so they never pass by skipping.
 */
public final class Cli {
    private Cli() {
    }

    public static void requireInstalled(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        fail(program + " is not installed: .ci/run installs it (apt-get install " + program + ")");
    }

    /** Runs the command, failing the test with its output when it exits non-zero; returns stdout. */
    public static String run(String... command) {
        return run(List.of(command));
    }

    public static String run(List<String> command) {
        requireInstalled(command.get(0));
        try {
            Path output = Files.createTempFile("cli-", ".out");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
            // Clients sign in as the administrator unless the command names other credentials.
            builder.environment().put("REGISTRY_AUTH_FILE", Credentials.authFile().toString());
            Process process = builder
                    .redirectErrorStream(false)
                    .redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(output.resolveSibling(output.getFileName() + ".err").toFile()))
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " timed out");
            }
            String stdout = Files.readString(output, StandardCharsets.UTF_8);
            Path errFile = output.resolveSibling(output.getFileName() + ".err");
            String stderr = Files.exists(errFile) ? Files.readString(errFile, StandardCharsets.UTF_8) : "";
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited " + process.exitValue() + "\n" + stdout + "\n" + stderr);
            }
            return stdout;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
