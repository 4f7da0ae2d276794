package io.berth.api.clients;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.DockerDaemon;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker client and engine against the registry: login with each kind of secret, push, pull,
 * logout, and the refusals docker shows. One engine serves the whole class; each identity keeps its
 * credentials in its own client configuration ({@code docker --config}). The registry is on
 * localhost, which docker reaches over plain HTTP.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DockerTest {
    private static final String PASSWORD = "docker-user-password";
    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

    private static DockerDaemon daemon;

    @TempDir
    Path work;

    @BeforeAll
    static void startDaemon() {
        daemon = DockerDaemon.start();
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void builtAndImportedImagesPushAndPullBackWithTheRegistrysDigest() throws IOException {
        Path admin = login("admin", Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String built = image(Content.uniqueRepository("docker") + ":built");
        Path context = rootfs(work.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY etc /etc\nCOPY hello.txt /\n");
        daemon.docker("build", "--quiet", "-t", built, context.toString());
        roundTrip(admin, built);

        String imported = image(Content.uniqueRepository("docker") + ":imported");
        importImage(imported);
        roundTrip(admin, imported);
    }

    @Test
    void robotsAndAccessTokensLogInPushAndPull() {
        String suffix = Long.toHexString(System.nanoTime());
        String org = "dockerorg" + suffix;
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        Path admin = login("admin", Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String robotRepository = org + "/robot-app";
        String seed = image(robotRepository + ":seed");
        importImage(seed);
        daemon.docker("--config", admin.toString(), "push", seed);
        String robotToken = Accounts.createRobot(org, "pusher");
        Accounts.grant(robotRepository, org + "+pusher", "write");
        String byRobot = image(robotRepository + ":robot");
        daemon.docker("tag", seed, byRobot);
        roundTrip(login("robot", "robot$" + org + "+pusher", robotToken), byRobot, seed);

        String user = "docker" + suffix;
        Accounts.createUser(user, PASSWORD);
        String accessToken = Accounts.createAccessToken(user, PASSWORD, "docker", true, List.of()).getString("token");
        String byToken = image(user + "/token-app:v1");
        importImage(byToken);
        roundTrip(login("token", user, accessToken), byToken);
    }

    @Test
    void theDockerConfigAnAccessTokenIsAnsweredAsWorksWithoutLogin() throws IOException {
        String user = "dockercfg" + Long.toHexString(System.nanoTime());
        Accounts.createUser(user, PASSWORD);
        JsonObject body = new JsonObject().put("name", "docker-config").put("expiration", new JsonObject().put("isSet", false))
                .put("scope", new JsonObject().put("allRegistries", true).put("modeRW", true).put("registryIds", List.of()));
        String config = Accounts.as(user, PASSWORD).queryParam("docker-config", true).body(body.encode())
                .post("/api/v1/tokens").then().statusCode(201).extract().asString();
        Path client = Files.createDirectories(work.resolve("from-api"));
        Files.writeString(client.resolve("config.json"), config);

        String reference = image(user + "/app:v1");
        importImage(reference);
        roundTrip(client, reference);
    }

    @Test
    void afterLogoutAPushIsRefused() {
        Path admin = login("logout", Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String reference = image(Content.uniqueRepository("docker") + ":v1");
        importImage(reference);
        daemon.docker("--config", admin.toString(), "push", reference);

        daemon.docker("--config", admin.toString(), "logout", registry());
        assertTrue(!readString(admin.resolve("config.json")).contains(registry()), "logout forgets the registry's credentials");
        String second = image(Content.uniqueRepository("docker") + ":v2");
        daemon.docker("tag", reference, second);
        Cli.Result refused = daemon.attempt("--config", admin.toString(), "push", second);
        assertNotEquals(0, refused.exitCode(), refused.stdout());
        // An anonymous token grants no push; the registry's insufficient_scope challenge is what docker words as "denied".
        assertTrue(refused.stderr().contains("denied: requested access to the resource is denied"), refused.stderr());
        given().get("/v2/" + repositoryPath(second) + "/tags/list").then().statusCode(404);
    }

    @Test
    void aWrongPasswordFailsLogin() {
        Path client = work.resolve("wrong");
        Cli.Result refused = daemon.attempt("--config", client.toString(), "login", "-u", Credentials.ADMIN,
                "-p", "not-the-password", registry());
        assertNotEquals(0, refused.exitCode(), refused.stdout());
        // docker prints an error's code and message, not its detail: the token endpoint's message says why.
        assertTrue(refused.stderr().contains("unauthorized: invalid username or password"), refused.stderr());
        assertTrue(Files.notExists(client.resolve("config.json")) || !readString(client.resolve("config.json")).contains(registry()),
                "a refused login keeps no credentials");
    }

    @Test
    void aReadOnlyRobotPullsButMayNotPush() {
        String org = "dockerro" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        Path admin = login("admin", Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/app";
        String reference = image(repository + ":v1");
        importImage(reference);
        String digest = pushedDigest(daemon.docker("--config", admin.toString(), "push", reference));
        String token = Accounts.createRobot(org, "reader");
        Accounts.grant(repository, org + "+reader", "read");

        Path reader = login("reader", "robot$" + org + "+reader", token);
        daemon.docker("rmi", reference);
        daemon.docker("--config", reader.toString(), "pull", reference);
        assertEquals(repositoryOf(reference) + "@" + digest, repoDigest(reference));

        String other = image(repository + ":v2");
        daemon.docker("tag", reference, other);
        Cli.Result refused = daemon.attempt("--config", reader.toString(), "push", other);
        assertNotEquals(0, refused.exitCode(), refused.stdout());
        assertTrue(refused.stderr().contains("denied: "), refused.stderr());
        given().get("/v2/" + repository + "/manifests/v2").then().statusCode(404);
    }

    /**
     * Pushes {@code reference} with the credentials in {@code client}, removes it (and {@code alsoRemove})
     * from the engine, pulls it back, and checks that the digest docker printed, the one it recorded on
     * pull and the registry's own agree.
     */
    private static void roundTrip(Path client, String reference, String... alsoRemove) {
        String pushed = pushedDigest(daemon.docker("--config", client.toString(), "push", reference));
        String imageId = daemon.docker("inspect", "--format", "{{.Id}}", reference).trim();
        daemon.docker("rmi", reference);
        for (String other : alsoRemove) {
            daemon.docker("rmi", other);
        }
        assertTrue(daemon.attempt("inspect", imageId).exitCode() != 0, "the image is gone before the pull");

        daemon.docker("--config", client.toString(), "pull", reference);
        assertEquals(imageId, daemon.docker("inspect", "--format", "{{.Id}}", reference).trim());
        assertEquals(repositoryOf(reference) + "@" + pushed, repoDigest(reference));
        given().accept("application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                .head("/v2/" + repositoryPath(reference) + "/manifests/" + reference.substring(reference.lastIndexOf(':') + 1))
                .then().statusCode(200).header("Docker-Content-Digest", pushed);
    }

    /** Signs in with {@code docker login} into a client configuration of its own, and answers that directory. */
    private Path login(String name, String username, String secret) {
        Path client = work.resolve("client-" + name);
        String said = daemon.docker("--config", client.toString(), "login", "-u", username, "-p", secret, registry());
        assertTrue(said.contains("Login Succeeded"), said);
        assertTrue(readString(client.resolve("config.json")).contains(registry()));
        return client;
    }

    /** Imports a fresh small root filesystem (its own digest: the engine stamps the time) as {@code reference}. */
    private void importImage(String reference) {
        Path tree = rootfs(work.resolve("rootfs-" + System.nanoTime()));
        Path tarball = tree.resolveSibling(tree.getFileName() + ".tar");
        Cli.run("tar", "-C", tree.toString(), "-cf", tarball.toString(), ".");
        daemon.docker("import", "--message", "imported for " + reference, tarball.toString(), reference);
    }

    /** A couple of files and a directory, different each time. */
    private static Path rootfs(Path directory) {
        try {
            Files.createDirectories(directory.resolve("etc"));
            Files.writeString(directory.resolve("etc").resolve("os-release"), "ID=berth-test\n");
            Files.writeString(directory.resolve("hello.txt"), "hello " + System.nanoTime() + "\n");
            return directory;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String pushedDigest(String output) {
        Matcher matcher = PUSHED_DIGEST.matcher(output);
        assertTrue(matcher.find(), "no digest in docker push's output: " + output);
        return matcher.group(1);
    }

    private static String repoDigest(String reference) {
        return daemon.docker("inspect", "--format", "{{index .RepoDigests 0}}", reference).trim();
    }

    private static String repositoryOf(String reference) {
        return reference.substring(0, reference.lastIndexOf(':'));
    }

    /** The repository of {@code reference} as the registry names it (no host, no tag). */
    private static String repositoryPath(String reference) {
        return repositoryOf(reference).substring(registry().length() + 1);
    }

    private static String registry() {
        return "localhost:" + RestAssured.port;
    }

    private static String image(String repositoryAndTag) {
        return registry() + "/" + repositoryAndTag;
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
