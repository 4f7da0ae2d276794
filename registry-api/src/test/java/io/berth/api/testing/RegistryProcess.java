package io.berth.api.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged registry started as users start it: {@code java -jar}, embedded default, its own data directory. */
public final class RegistryProcess implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private final int httpsPort;
    private final List<String> jvmOptions;
    private final boolean configuredAdministrator;
    private Process process;

    public RegistryProcess(Path dataDir, String... jvmOptions) throws IOException {
        this(dataDir, true, jvmOptions);
    }

    /** A registry that generates its administrator's password at first start, as one started by hand does. */
    public static RegistryProcess withGeneratedAdministrator(Path dataDir) throws IOException {
        return new RegistryProcess(dataDir, false);
    }

    private RegistryProcess(Path dataDir, boolean configuredAdministrator, String... jvmOptions) throws IOException {
        this.dataDir = dataDir;
        this.configuredAdministrator = configuredAdministrator;
        this.jvmOptions = List.of(jvmOptions);
        this.port = freePort();
        this.httpsPort = freePort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** {@code quarkus.http.ssl-port}: where HTTPS listens when a TLS setting is among the options. */
    public int httpsPort() {
        return httpsPort;
    }

    /** The operating system's id of the running registry, for reading what /proc says of it. */
    public long pid() {
        return process.pid();
    }

    /** Whether the registry is still running (one started with -XX:+ExitOnOutOfMemoryError is not after an OOM). */
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The packaged registry's runner jar, which the build names in {@code berth.runner.jar}. */
    public static Path runnerJar() {
        String runner = System.getProperty("berth.runner.jar");
        if (runner == null || !Files.exists(Path.of(runner))) {
            throw new IllegalStateException("packaged registry not found (berth.runner.jar=" + runner + "); run mvn verify");
        }
        return Path.of(runner).toAbsolutePath();
    }

    /** The JVM options bin/berth starts the registry with (bin/jvm-options), for a start made as users make it. */
    public static List<String> defaultJvmOptions() throws IOException, InterruptedException {
        Process options = new ProcessBuilder(projectRoot().resolve("bin/jvm-options").toString()).start();
        String printed = new String(options.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (options.waitFor() != 0) {
            throw new IllegalStateException("bin/jvm-options failed");
        }
        return printed.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The project's checkout, where bin/ and bench/ are: above registry-api/target/quarkus-app/. */
    public static Path projectRoot() {
        return runnerJar().getParent().getParent().getParent().getParent();
    }

    public void start() throws IOException, InterruptedException {
        String runner = runnerJar().toString();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dberth.data-dir=" + dataDir, "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.ssl-port=" + httpsPort));
        if (configuredAdministrator) {
            command.add("-Dberth.auth.admin-password=" + Credentials.ADMIN_PASSWORD);
            Credentials.registerHost("localhost:" + port);
        }
        command.addAll(List.of("-jar", runner));
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("registry.log").toFile()))
                .start();
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("registry exited: " + Files.readString(dataDir.resolve("registry.log")));
            }
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("registry not ready in time: " + Files.readString(dataDir.resolve("registry.log")));
    }

    /**
     * Creates organizations through the API, as the administrator, so that pushes may go there (a
     * push does not create its namespace); one that exists already (a restarted registry) is kept.
     */
    public void createOrganizations(String... names) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        for (String name : names) {
            HttpResponse<String> created = client.send(Credentials.signedIn(URI.create(baseUrl() + "/api/v1/organization/"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201 && created.statusCode() != 409) {
                throw new IllegalStateException("organization " + name + " not created: " + created.statusCode() + " " + created.body());
            }
        }
    }

    /** Everything the registry has logged so far, across its starts. */
    public String log() throws IOException {
        return Files.readString(dataDir.resolve("registry.log"));
    }

    /** Stops it as an operator or Kubernetes would: SIGTERM, then wait. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
