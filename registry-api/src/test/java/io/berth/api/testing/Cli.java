package io.berth.api.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        return run(command, Map.of());
    }

    /** {@link #run(List)} with {@code environment} added to this process's own. */
    public static String run(List<String> command, Map<String, String> environment) {
        Result result = attempt(command, environment);
        if (result.exitCode() != 0) {
            fail(String.join(" ", command) + " exited " + result.exitCode() + "\n" + result.stdout() + "\n" + result.stderr());
        }
        return result.stdout();
    }

    /** What a finished command printed and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs the command and answers how it ended, for tests that expect a client to be refused. */
    public static Result attempt(List<String> command) {
        return attempt(command, Map.of());
    }

    /** {@link #attempt(List)} with {@code environment} added to this process's own. */
    public static Result attempt(List<String> command, Map<String, String> environment) {
        requireInstalled(command.get(0));
        try {
            Path output = Files.createTempFile("cli-", ".out");
            Path errors = output.resolveSibling(output.getFileName() + ".err");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
            // Clients sign in as the administrator unless the command names other credentials.
            builder.environment().put("REGISTRY_AUTH_FILE", Credentials.authFile().toString());
            builder.environment().putAll(environment);
            Process process = builder
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " timed out");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
                    Files.readString(errors, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
