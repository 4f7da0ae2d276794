package io.berth.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker engine of the tests' own, and the docker client pointed at it. Everything it keeps (images,
 * the containerd it supervises, its socket, the client's {@code config.json}) lives in one temporary
 * directory, removed on {@link #close()}; the machine's own {@code /etc/docker}, {@code ~/.docker} and
 * any system daemon are left alone.
 *
 * <p>dockerd runs in a private mount namespace, for two reasons. It reads a registry's CA certificates
 * only from {@code /etc/docker/certs.d/<host:port>/} (no option moves that as root), so that namespace
 * sees the temporary directory's {@code etc-docker} in place of {@code /etc/docker}, and
 * {@link #trust} writes there; dockerd also writes its {@code key.json} there. And dockerd uses the
 * system containerd whenever {@code /run/containerd/containerd.sock} exists, so the namespace hides
 * that directory and dockerd starts its own containerd under its exec-root. The mounts end with the
 * daemon.
 *
 * <p>Registries on 127.0.0.0/8 are always insecure to dockerd: plain HTTP is allowed, and over TLS
 * the certificate is not verified nor certs.d read. A test that needs verification must address the
 * registry by a non-loopback address.
 */
public final class DockerDaemon implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Path home;
    private final Process process;
    private final Map<String, String> environment;
    private final Thread stopOnExit;

    private DockerDaemon(Path home, Process process) {
        this.home = home;
        this.process = process;
        // The legacy builder: BuildKit builds need the buildx plugin, which Debian's docker.io does not ship.
        this.environment = Map.of("DOCKER_HOST", "unix://" + home.resolve("docker.sock"),
                "DOCKER_CONFIG", home.resolve("client").toString(), "DOCKER_BUILDKIT", "0");
        this.stopOnExit = new Thread(this::stop, "dockerd-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts a daemon and waits until it answers; fails the test with its log when it does not. */
    public static DockerDaemon start() {
        return start(Map.of());
    }

    /**
     * A daemon that also resolves {@code hosts} (name to address) as if they were in {@code /etc/hosts}:
     * its namespace sees a copy of the machine's with these lines added, so a test can name a registry
     * by a host name of its own without changing the machine's.
     */
    public static DockerDaemon start(Map<String, String> hosts) {
        Cli.requireInstalled("dockerd");
        Cli.requireInstalled("docker");
        Cli.requireInstalled("unshare");
        try {
            Path home = Files.createTempDirectory("dockerd-");
            Files.createDirectories(home.resolve("etc-docker").resolve("certs.d"));
            Files.createDirectories(home.resolve("no-containerd"));
            Files.createDirectories(home.resolve("client"));
            Files.writeString(home.resolve("daemon.json"), "{}");
            StringBuilder hostsFile = new StringBuilder(Files.readString(Path.of("/etc/hosts"))).append('\n');
            hosts.forEach((name, address) -> hostsFile.append(address).append(' ').append(name).append('\n'));
            Files.writeString(home.resolve("hosts"), hostsFile);
            List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \"$0\" /etc/docker"
                            + " && { [ ! -d /run/containerd ] || mount --bind \"$1\" /run/containerd; }"
                            + " && mount --bind \"$2\" /etc/hosts"
                            + " && shift 2 && exec \"$@\"",
                    home.resolve("etc-docker").toString(), home.resolve("no-containerd").toString(), home.resolve("hosts").toString(),
                    "dockerd", "--config-file", home.resolve("daemon.json").toString(),
                    "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
                    "--data-root", home.resolve("data").toString(), "--exec-root", home.resolve("exec").toString(),
                    "--pidfile", home.resolve("docker.pid").toString(), "-H", "unix://" + home.resolve("docker.sock")));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(home.resolve("dockerd.log").toFile()).start();
            DockerDaemon daemon = new DockerDaemon(home, process);
            daemon.awaitAnswer();
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitAnswer() {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            if (attempt("version", "--format", "{{.Server.Version}}").exitCode() == 0) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String log = log();
        close();
        throw new IllegalStateException("dockerd did not start (" + (process.isAlive() ? "no answer" : "exited " + process.exitValue())
                + "):\n" + log);
    }

    /** Runs the docker client against this daemon, failing the test when it exits non-zero; answers its output. */
    public String docker(String... arguments) {
        return Cli.run(command(arguments), environment);
    }

    /** Runs the docker client against this daemon and answers how it ended, for commands expected to be refused. */
    public Cli.Result attempt(String... arguments) {
        return Cli.attempt(command(arguments), environment);
    }

    private static List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** The client's configuration directory ({@code DOCKER_CONFIG}), where {@code docker login} keeps credentials. */
    public Path clientConfig() {
        return home.resolve("client");
    }

    /** Makes the daemon trust registries at {@code hostAndPort} whose certificates {@code caCertificate} signed. */
    public void trust(String hostAndPort, Path caCertificate) {
        try {
            Path directory = Files.createDirectories(home.resolve("etc-docker").resolve("certs.d").resolve(hostAndPort));
            Files.copy(caCertificate, directory.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the daemon has logged so far, for a failure's message. */
    public String log() {
        try {
            return Files.readString(home.resolve("dockerd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the daemon and the containerd it started, waits for both, and removes the directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing to remove
        }
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        // dockerd stops its containerd as it shuts down; anything still running afterwards is stopped by its PID.
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                    child.onExit().get(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("dockerd's processes did not stop", e);
        }
    }
}
