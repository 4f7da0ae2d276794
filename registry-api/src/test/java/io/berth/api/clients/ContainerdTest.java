package io.berth.api.clients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Skopeo;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * containerd pulls (and unpacks) images the way a Kubernetes node does: {@code ctr images pull
 * --plain-http}. The test runs its own containerd on a private socket and state directory.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ContainerdTest {
    private static Path work;
    private static Process containerd;
    private static Path socket;

    @BeforeAll
    static void startContainerd() throws IOException, InterruptedException {
        Cli.requireInstalled("containerd");
        Cli.requireInstalled("ctr");
        work = Files.createTempDirectory("ctrd-");
        socket = work.resolve("c.sock");
        Path config = work.resolve("config.toml");
        Files.writeString(config, "version = 2\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n");
        containerd = new ProcessBuilder("containerd", "--config", config.toString(), "--address", socket.toString(),
                "--root", work.resolve("root").toString(), "--state", work.resolve("state").toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("containerd.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(socket)
                    && new ProcessBuilder("ctr", "--address", socket.toString(), "version").start().waitFor() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("containerd did not start: " + Files.readString(work.resolve("containerd.log")));
    }

    @AfterAll
    static void stopContainerd() throws InterruptedException {
        if (containerd != null) {
            containerd.destroy();
            if (!containerd.waitFor(10, TimeUnit.SECONDS)) {
                containerd.destroyForcibly();
            }
        }
    }

    @Test
    void ctrPullsAndUnpacksASingleArchitectureImage() {
        OciLayout layout = new OciLayout(work.resolve("single"));
        String digest = layout.addImage("v1", "amd64", 2, 120_000);
        String repo = Content.uniqueRepository("ctr");
        Cli.run("skopeo", "copy", "--dest-tls-verify=false", layout.reference("v1"), Skopeo.reference(repo + ":v1"));

        ctr("images", "pull", "--plain-http", "--user", Credentials.ADMIN + ":" + Credentials.ADMIN_PASSWORD, "--snapshotter", "native", "--platform", "linux/amd64", image(repo + ":v1"));
        String listed = ctr("images", "ls");
        assertTrue(listed.contains(image(repo + ":v1")) && listed.contains(digest), listed);
    }

    @Test
    void ctrPullsEveryPlatformOfAnIndex() {
        OciLayout layout = new OciLayout(work.resolve("multi"));
        String digest = layout.addIndex("multi", List.of("amd64", "arm64"), 80_000);
        String repo = Content.uniqueRepository("ctr");
        Cli.run("skopeo", "copy", "--all", "--dest-tls-verify=false", layout.reference("multi"),
                Skopeo.reference(repo + ":multi"));

        ctr("images", "pull", "--plain-http", "--user", Credentials.ADMIN + ":" + Credentials.ADMIN_PASSWORD, "--snapshotter", "native", "--all-platforms", image(repo + ":multi"));
        String listed = ctr("images", "ls");
        assertTrue(listed.contains(image(repo + ":multi")) && listed.contains(digest)
                && listed.contains("linux/amd64") && listed.contains("linux/arm64"), listed);
    }

    private static String image(String repositoryAndTag) {
        return "localhost:" + RestAssured.port + "/" + repositoryAndTag;
    }

    private static String ctr(String... arguments) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", "berth-test"));
        command.addAll(List.of(arguments));
        return Cli.run(command);
    }
}
