package io.berth.api.clients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Containerd;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Skopeo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * containerd pulls (and unpacks) images the way a Kubernetes node does: {@code ctr images pull
 * --plain-http}, from a containerd of the test's own.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ContainerdTest {
    private static Containerd containerd;

    @BeforeAll
    static void startContainerd() throws IOException, InterruptedException {
        containerd = Containerd.start();
    }

    @AfterAll
    static void stopContainerd() throws InterruptedException {
        if (containerd != null) {
            containerd.close();
        }
    }

    @Test
    void ctrPullsAndUnpacksASingleArchitectureImage() {
        OciLayout layout = new OciLayout(containerd.work().resolve("single"));
        String digest = layout.addImage("v1", "amd64", 2, 120_000);
        String repo = Content.uniqueRepository("ctr");
        Cli.run("skopeo", "copy", "--dest-tls-verify=false", layout.reference("v1"), Skopeo.reference(repo + ":v1"));

        containerd.ctr("images", "pull", "--plain-http", "--user", Credentials.ADMIN + ":" + Credentials.ADMIN_PASSWORD, "--snapshotter", "native", "--platform", "linux/amd64", image(repo + ":v1"));
        String listed = containerd.ctr("images", "ls");
        assertTrue(listed.contains(image(repo + ":v1")) && listed.contains(digest), listed);
    }

    @Test
    void ctrPullsEveryPlatformOfAnIndex() {
        OciLayout layout = new OciLayout(containerd.work().resolve("multi"));
        String digest = layout.addIndex("multi", List.of("amd64", "arm64"), 80_000);
        String repo = Content.uniqueRepository("ctr");
        Cli.run("skopeo", "copy", "--all", "--dest-tls-verify=false", layout.reference("multi"),
                Skopeo.reference(repo + ":multi"));

        containerd.ctr("images", "pull", "--plain-http", "--user", Credentials.ADMIN + ":" + Credentials.ADMIN_PASSWORD, "--snapshotter", "native", "--all-platforms", image(repo + ":multi"));
        String listed = containerd.ctr("images", "ls");
        assertTrue(listed.contains(image(repo + ":multi")) && listed.contains(digest)
                && listed.contains("linux/amd64") && listed.contains("linux/arm64"), listed);
    }

    private static String image(String repositoryAndTag) {
        return "localhost:" + RestAssured.port + "/" + repositoryAndTag;
    }
}
