package io.berth.api.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.RegistryProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth's container image, as deploy/image/build makes it (Jib, a base built from Debian packages),
 * served by Berth itself: the tarball copied and a build pushed by Jib into the packaged registry,
 * pulled back by podman and run, where the containerised registry, on its embedded PostgreSQL in the
 * /data volume, takes a push of its own.
 */
class BerthImageIT {
    private static final String REPOSITORY = "images/berth";

    @TempDir
    Path work;

    @Test
    void theImageServedByBerthRunsABerthThatTakesPushes() throws Exception {
        Path archive = work.resolve("berth.tar");
        build(Map.of(), "--output", archive.toString());
        assertTrue(Files.size(archive) > 10_000_000, "image tarball too small");

        try (RegistryProcess registry = new RegistryProcess(work.resolve("registry"))) {
            registry.start();
            registry.createOrganizations("images");
            String host = "localhost:" + registry.port();
            // The default build's tarball, copied in by skopeo; and the same build pushed by Jib itself.
            Cli.run("skopeo", "copy", "--retry-times=0", "--dest-tls-verify=false", "docker-archive:" + archive,
                    "docker://" + host + "/" + REPOSITORY + ":archive");
            String image = host + "/" + REPOSITORY + ":pushed";
            build(Map.of("BERTH_PUSH_USERNAME", Credentials.ADMIN, "BERTH_PUSH_PASSWORD", Credentials.ADMIN_PASSWORD),
                    "--push", image, "--insecure");

            podman("pull", "--tls-verify=false", image);
            JsonObject config = new JsonArray(podman("image", "inspect", image)).getJsonObject(0).getJsonObject("Config");
            assertImageConfiguration(config);
            JsonObject archived = new JsonObject(Cli.run("skopeo", "inspect", "--config", "--tls-verify=false",
                    "docker://" + host + "/" + REPOSITORY + ":archive")).getJsonObject("config");
            assertEquals(config.getJsonArray("Entrypoint"), archived.getJsonArray("Entrypoint"), "the tarball is another image");

            Path data = work.resolve("data");
            Files.createDirectories(data);
            // The image's user owns its volume, as an operator's chown or a fresh named volume does.
            Files.setAttribute(data, "unix:uid", 1001);
            Files.setAttribute(data, "unix:gid", 1001);
            int port = freePort();
            String container = "berth-image-it-" + port;
            podman("run", "--detach", "--name", container, "--network", "host", "--volume", data + ":/data",
                    "--env", "QUARKUS_HTTP_PORT=" + port, "--env", "BERTH_AUTH_ADMIN_PASSWORD=" + Credentials.ADMIN_PASSWORD,
                    "--env", "JAVA_OPTS=-Xmx192m", image);
            try {
                String containerised = "http://localhost:" + port;
                awaitReady(containerised, container);
                assertEquals("1001", podman("exec", container, "id", "-u").strip(), "the registry runs as the image's user");
                // The JVM is the container's first process (signals reach it), JAVA_OPTS after the defaults.
                String jvm = podman("exec", container, "cat", "/proc/1/cmdline").replace('\0', ' ');
                assertTrue(jvm.startsWith("java ") && jvm.indexOf("-Xmx192m") > jvm.indexOf("-Xmx160m"), "process 1: " + jvm);

                HttpResponse<Void> challenge = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(containerised + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
                assertEquals(401, challenge.statusCode());
                assertEquals("Bearer realm=\"" + containerised + "/v2/token\",service=\"berth\"",
                        challenge.headers().firstValue("WWW-Authenticate").orElse(""));

                createOrganization(containerised, "pushed");
                Credentials.registerHost("localhost:" + port);
                OciLayout layout = new OciLayout(work.resolve("layout"));
                String digest = layout.addImage("v1", "amd64", 2, 200_000);
                Cli.run("skopeo", "copy", "--retry-times=0", "--dest-tls-verify=false", layout.reference("v1"),
                        "docker://localhost:" + port + "/pushed/small:v1");
                String inspected = Cli.run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://localhost:" + port + "/pushed/small:v1");
                assertEquals(digest, Content.sha256(inspected.getBytes(StandardCharsets.UTF_8)));
                assertTrue(Files.isDirectory(data.resolve("postgres")), "the embedded database is not in the /data volume");

                podman("stop", "--time", "60", container);
                assertTrue(podman("logs", container).contains("registry-api stopped in"), "no orderly shutdown on SIGTERM");
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\ncontainer log:\n" + Cli.attempt(podmanCommand("logs", container)).stdout(), e);
            } finally {
                Cli.attempt(podmanCommand("rm", "--force", container));
            }
        }
    }

    /** What the image says of itself: the user, volume, port, environment and JVM options bin/berth has. */
    private static void assertImageConfiguration(JsonObject config) throws IOException, InterruptedException {
        assertEquals("1001", config.getString("User"));
        assertTrue(config.getJsonObject("Volumes", new JsonObject()).containsKey("/data"), "no /data volume: " + config);
        assertTrue(config.getJsonObject("ExposedPorts", new JsonObject()).containsKey("5000/tcp"), "5000 not exposed: " + config);
        List<Object> env = config.getJsonArray("Env").getList();
        assertTrue(env.contains("MALLOC_ARENA_MAX=2"), "env: " + env);
        assertTrue(env.contains("BERTH_DATA_DIR=/data"), "env: " + env);
        // A shell starts the JVM, so that JAVA_OPTS may follow the defaults as with bin/berth.
        String entrypoint = " " + String.join(" ", config.getJsonArray("Entrypoint").getList()) + " ";
        for (String option : RegistryProcess.defaultJvmOptions()) {
            assertTrue(entrypoint.contains(" " + option + " "), option + " missing from the entrypoint" + entrypoint);
        }
        assertTrue(entrypoint.contains(" $JAVA_OPTS -jar "), "JAVA_OPTS does not follow the defaults:" + entrypoint);
    }

    /** deploy/image/build as an operator runs it, with {@code environment} added to this one's. */
    private void build(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        Path root = RegistryProcess.projectRoot();
        Path log = Files.createTempFile(work, "build-", ".log");
        List<String> command = new ArrayList<>(List.of(root.resolve("deploy/image/build").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process build = builder.start();
        if (!build.waitFor(15, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            fail("deploy/image/build timed out: " + Files.readString(log));
        }
        assertEquals(0, build.exitValue(), "deploy/image/build failed: " + Files.readString(log));
    }

    private String podman(String... arguments) {
        return Cli.run(podmanCommand(arguments));
    }

    /**
     * podman with an image store of its own. This machine's sandbox refuses crun's cgroup setup and
     * raising limits above the current ones, so containers run under runc with the limits given.
     */
    private List<String> podmanCommand(String... arguments) {
        Path store = work.resolve("podman");
        List<String> command = new ArrayList<>(List.of("podman", "--root", store.resolve("root").toString(),
                "--runroot", store.resolve("run").toString(), "--storage-driver", "vfs", "--events-backend", "file",
                "--cgroup-manager", "cgroupfs", "--runtime", "runc"));
        command.add(arguments[0]);
        if (arguments[0].equals("run")) {
            command.addAll(List.of("--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096"));
        }
        command.addAll(List.of(arguments).subList(1, arguments.length));
        return command;
    }

    private void awaitReady(String baseUrl, String container) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!podman("container", "inspect", "--format", "{{.State.Running}}", container).strip().equals("true")) {
                fail("the containerised registry exited");
            }
            Thread.sleep(500);
        }
        fail("the containerised registry was not ready in time");
    }

    private static void createOrganization(String baseUrl, String name) throws IOException, InterruptedException {
        HttpResponse<String> created = HttpClient.newHttpClient().send(Credentials.signedIn(URI.create(baseUrl + "/api/v1/organization/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
