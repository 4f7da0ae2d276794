package io.berth.api.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server run as a child process on a data directory: created with initdb on first
 * use, started on a free loopback port, stopped with the JVM. The superuser password is generated
 * once and kept beside the data (readable by the owner only).
 *
 * <p>PostgreSQL refuses to run as root. When the registry runs as root (containers, CI), the server
 * runs in a user namespace where it is an ordinary user, while its files stay owned by the caller.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String USER = "berth";
    private static final String DATABASE = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** The line of {@code postmaster.pid} that holds the server's status (PostgreSQL 10 and later), as pg_ctl reads it. */
    private static final int STATUS_LINE = 7;
    private static final String READY = "ready";

    private final Process server;
    private final int port;
    private final String password;
    private final Path data;
    private final Path logFile;

    private EmbeddedPostgres(Process server, int port, String password, Path data, Path logFile) {
        this.server = server;
        this.port = port;
        this.password = password;
        this.data = data;
        this.logFile = logFile;
    }

    /** Starts PostgreSQL on {@code directory} (created and initialised when new), on a free port. */
    public static EmbeddedPostgres start(Path directory) {
        try {
            return start(directory, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    /**
     * Starts PostgreSQL on {@code directory} listening on {@code port}: to bring a stopped server back
     * where its clients knew it.
     */
    public static EmbeddedPostgres start(Path directory, int port) {
        try {
            Path installation = PostgresBinaries.installation();
            Path data = directory.resolve("pgdata");
            String password = password(directory);
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                initialise(installation, directory, data);
            }
            stopLeftover(data);
            Path logFile = directory.resolve("postgres.log");
            List<String> command = command(installation, "postgres", "-D", data.toString(), "-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                    "-c", "max_connections=200", "-c", "shared_buffers=128MB");
            Process server = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            EmbeddedPostgres postgres = new EmbeddedPostgres(server, port, password, data, logFile);
            postgres.awaitReady();
            LOG.infof("Embedded PostgreSQL ready on 127.0.0.1:%d (data in %s)", port, data);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** Fast shutdown: disconnects clients, writes a checkpoint, exits. */
    @Override
    public void close() {
        if (!server.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(server.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (IOException e) {
            server.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    /**
     * Waits until the server accepts connections: what {@code pg_ctl start -w} waits for, the status
     * PostgreSQL writes into {@code postmaster.pid} once it is ready, from this very server.
     */
    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Path pidFile = data.resolve("postmaster.pid");
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IOException("PostgreSQL exited with " + server.exitValue() + "; see " + logFile);
            }
            if (readyIn(pidFile)) {
                return;
            }
            sleep(100);
        }
        close();
        throw new IOException("PostgreSQL did not accept connections within " + START_TIMEOUT + "; see " + logFile);
    }

    private boolean readyIn(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.size() > STATUS_LINE && lines.get(0).trim().equals(String.valueOf(server.pid()))
                    && lines.get(STATUS_LINE).trim().equals(READY);
        } catch (IOException notYetWritten) {
            return false;
        }
    }

    private static void initialise(Path installation, Path directory, Path data) throws IOException {
        Files.createDirectories(directory);
        PostgresBinaries.deleteTree(data);
        Path passwordFile = directory.resolve("postgres.password");
        Path initLog = directory.resolve("initdb.log");
        Process initdb = new ProcessBuilder(command(installation, "initdb", "-D", data.toString(), "-U", USER,
                "--pwfile=" + passwordFile, "-A", "scram-sha-256", "-E", "UTF-8", "--locale=C"))
                .redirectErrorStream(true)
                .redirectOutput(initLog.toFile())
                .start();
        try {
            if (initdb.waitFor() != 0) {
                throw new IOException("initdb failed: " + Files.readString(initLog));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during initdb", e);
        }
    }

    /** A server left running by a registry that was killed holds the data directory: stop it first. */
    private static void stopLeftover(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
                .filter(handle -> handle.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (leftover.isPresent()) {
            LOG.warnf("Stopping a PostgreSQL (pid %d) left running on %s", pid, data);
            new ProcessBuilder("kill", "-INT", String.valueOf(pid)).start();
            try {
                leftover.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                leftover.get().destroyForcibly();
            }
        }
    }

    private static String password(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("postgres.password");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return password;
    }

    private static List<String> command(Path installation, String program, String... args) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            // Inside the namespace the server is user 65534; files it creates belong to root outside.
            command.addAll(List.of("unshare", "--user", "--map-user=65534", "--map-group=65534", "--"));
        }
        command.add(installation.resolve("bin").resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
