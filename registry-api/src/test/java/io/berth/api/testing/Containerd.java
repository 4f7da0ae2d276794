package io.berth.api.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A containerd of the test's own, on a private socket and state directory (never the machine's), and
 * {@code ctr} pointed at it: how a Kubernetes node pulls.
 */
public final class Containerd implements AutoCloseable {
    private final Path work;
    private final Path socket;
    private final Process process;

    private Containerd(Path work, Path socket, Process process) {
        this.work = work;
        this.socket = socket;
        this.process = process;
    }

    public static Containerd start() throws IOException, InterruptedException {
        Cli.requireInstalled("containerd");
        Cli.requireInstalled("ctr");
        Path work = Files.createTempDirectory("ctrd-");
        Path socket = work.resolve("c.sock");
        Path config = work.resolve("config.toml");
        Files.writeString(config, "version = 2\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n");
        Process process = new ProcessBuilder("containerd", "--config", config.toString(), "--address", socket.toString(),
                "--root", work.resolve("root").toString(), "--state", work.resolve("state").toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("containerd.log").toFile())
                .start();
        Containerd containerd = new Containerd(work, socket, process);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(socket) && new ProcessBuilder("ctr", "--address", socket.toString(), "version").start().waitFor() == 0) {
                return containerd;
            }
            Thread.sleep(200);
        }
        containerd.close();
        throw new IllegalStateException("containerd did not start: " + Files.readString(work.resolve("containerd.log")));
    }

    /** A scratch directory of this containerd's, for the test's layouts and host configurations. */
    public Path work() {
        return work;
    }

    /** Runs {@code ctr} against this containerd, failing the test if it fails; answers its output. */
    public String ctr(String... arguments) {
        return Cli.run(command(arguments));
    }

    /** Runs {@code ctr} against this containerd and answers how it ended. */
    public Cli.Result attempt(String... arguments) {
        return Cli.attempt(command(arguments));
    }

    private List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", "berth-test"));
        command.addAll(List.of(arguments));
        return command;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
