package io.berth.api.clients;

import static io.berth.api.clients.PodmanTest.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Cli;
import io.berth.api.testing.Skopeo;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Podman;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients signing in the ways people do: {@code podman login} and {@code skopeo --creds} with
 * a user's password, a robot's token and an access token; and refused where those credentials
 * do not reach.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ClientLoginTest {
    private static final String PASSWORD = "client-user-password";

    @TempDir
    Path work;

    /** A name, a secret and a repository they may push to. */
    private record Identity(String kind, String username, String secret, String repository) {
    }

    @Test
    void podmanLogsInPushesAndPullsAsAUserARobotAndAnAccessToken() {
        OciLayout layout = new OciLayout(work.resolve("layout"));
        layout.addImage("v1", "amd64", 2, 50_000);
        String seed = Content.uniqueRepository("seed");
        skopeo("copy", "--dest-tls-verify=false", layout.reference("v1"), Skopeo.reference(seed + ":v1"));
        Path adminStore = work.resolve("admin-store");
        Podman.run(adminStore, "pull", "--tls-verify=false", image(seed + ":v1"));
        String imageId = Podman.run(adminStore, "image", "inspect", "--format", "{{.Id}}", image(seed + ":v1")).trim();

        for (Identity identity : identities()) {
            Path authFile = work.resolve(identity.kind() + "-auth.json");
            Cli.run("podman", "login", "--authfile", authFile.toString(), "--tls-verify=false",
                    "-u", identity.username(), "-p", identity.secret(), "localhost:" + RestAssured.port);
            String target = image(identity.repository() + ":" + identity.kind());
            Podman.run(adminStore, "tag", image(seed + ":v1"), target);
            Podman.run(adminStore, "push", "--authfile", authFile.toString(), "--tls-verify=false", target);

            Path freshStore = work.resolve(identity.kind() + "-store");
            Podman.run(freshStore, "pull", "--authfile", authFile.toString(), "--tls-verify=false", target);
            assertEquals(imageId, Podman.run(freshStore, "image", "inspect", "--format", "{{.Id}}", target).trim(), identity.kind());
        }
    }

    @Test
    void skopeoCopiesWithTheCredentialsOfAUserARobotAndAnAccessToken() {
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String digest = layout.addImage("v1", "amd64", 2, 50_000);
        for (Identity identity : identities()) {
            String creds = identity.username() + ":" + identity.secret();
            String target = Skopeo.reference(identity.repository() + ":" + identity.kind());
            skopeo("copy", "--dest-tls-verify=false", "--dest-creds", creds, layout.reference("v1"), target);
            String raw = skopeo("inspect", "--tls-verify=false", "--raw", "--creds", creds, target);
            assertEquals(digest, Content.sha256(raw.getBytes(StandardCharsets.UTF_8)), identity.kind());
            Path back = work.resolve("back-" + identity.kind());
            skopeo("copy", "--src-tls-verify=false", "--src-creds", creds, target, "oci:" + back + ":v1");
        }
    }

    @Test
    void clientsAreRefusedWhereTheirCredentialsDoNotReach() throws IOException {
        OciLayout layout = new OciLayout(work.resolve("layout"));
        layout.addImage("v1", "amd64", 1, 10_000);
        String user = "refused" + Long.toHexString(System.nanoTime());
        Accounts.createUser(user, PASSWORD);
        String readOnly = Accounts.createAccessToken(user, PASSWORD, "read-only", false, List.of()).getString("token");

        Cli.Result anonymousPush = skopeoAttempt("copy", "--dest-tls-verify=false", "--dest-no-creds", layout.reference("v1"),
                Skopeo.reference(user + "/app:v1"));
        assertRefused(anonymousPush);
        Cli.Result readOnlyPush = skopeoAttempt("copy", "--dest-tls-verify=false", "--dest-creds", user + ":" + readOnly,
                layout.reference("v1"), Skopeo.reference(user + "/app:v1"));
        assertRefused(readOnlyPush);
        Cli.Result wrongPassword = Cli.attempt(List.of("podman", "login", "--authfile", work.resolve("wrong.json").toString(),
                "--tls-verify=false", "-u", user, "-p", "not-the-password", "localhost:" + RestAssured.port));
        assertNotEquals(0, wrongPassword.exitCode());
        assertTrue(wrongPassword.stderr().contains("invalid username/password"), wrongPassword.stderr());

        // The user's own push works; anonymous pulls of it are refused until it is made public.
        skopeo("copy", "--dest-tls-verify=false", "--dest-creds", user + ":" + PASSWORD, layout.reference("v1"),
                Skopeo.reference(user + "/app:v1"));
        assertRefused(skopeoAttempt("inspect", "--tls-verify=false", "--raw", "--no-creds", Skopeo.reference(user + "/app:v1")));
        Path noCredentials = Files.writeString(work.resolve("empty.json"), "{\"auths\":{}}");
        List<String> anonymousPull = Podman.command(work.resolve("anon"), "pull", "--authfile",
                noCredentials.toString(), "--tls-verify=false", image(user + "/app:v1"));
        assertRefused(Cli.attempt(anonymousPull));
        Accounts.as(user, PASSWORD).body("{\"visibility\":\"public\"}").post("/api/v1/repository/" + user + "/app/changevisibility")
                .then().statusCode(200);
        skopeo("inspect", "--tls-verify=false", "--raw", "--no-creds", Skopeo.reference(user + "/app:v1"));
        Cli.run(anonymousPull);
    }

    /** A user in their own namespace, an organization's robot with write on one repository, and a user's access token. */
    private List<Identity> identities() {
        String suffix = Long.toHexString(System.nanoTime());
        String user = "client" + suffix;
        Accounts.createUser(user, PASSWORD);
        String org = "clientorg" + suffix;
        Accounts.createOrganization(org, user, PASSWORD);
        String robotRepository = org + "/robot-app";
        OciLayout seed = new OciLayout(work.resolve("robot-seed-" + suffix));
        seed.addImage("seed", "amd64", 1, 1_000);
        skopeo("copy", "--dest-tls-verify=false", seed.reference("seed"), Skopeo.reference(robotRepository + ":seed"));
        String robotToken = Accounts.createRobot(org, "pusher");
        Accounts.grant(robotRepository, org + "+pusher", "write");
        String accessToken = Accounts.createAccessToken(user, PASSWORD, "client", true, List.of(org)).getString("token");
        return List.of(
                new Identity("user", user, PASSWORD, user + "/app"),
                new Identity("robot", "robot$" + org + "+pusher", robotToken, robotRepository),
                new Identity("token", user, accessToken, org + "/token-app"));
    }

    /** The client failed because the registry said no (clients word a 401 or 403 as "unauthorized" or "denied"). */
    private static void assertRefused(Cli.Result result) {
        assertNotEquals(0, result.exitCode(), result.stdout());
        String said = result.stderr().toLowerCase();
        assertTrue(said.contains("unauthorized") || said.contains("denied"), "expected a refusal in: " + result.stderr());
    }

    private static String skopeo(String... arguments) {
        return Cli.run(skopeoCommand(arguments));
    }

    private static Cli.Result skopeoAttempt(String... arguments) {
        return Cli.attempt(skopeoCommand(arguments));
    }

    private static List<String> skopeoCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of("skopeo"));
        command.add(arguments[0]);
        if (arguments[0].equals("copy")) {
            command.add("--retry-times=0");
        }
        command.addAll(List.of(arguments).subList(1, arguments.length));
        return command;
    }
}
