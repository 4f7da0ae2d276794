package io.berth.api.clients;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Skopeo;
import io.berth.api.testing.Content;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podman pull and push, each with its own image store so nothing is served from a local cache. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class PodmanTest {

    @TempDir
    Path work;

    @Test
    void podmanPullsPushesAndPullsBack() {
        OciLayout layout = new OciLayout(work.resolve("layout"));
        layout.addImage("v1", "amd64", 2, 100_000);
        String seeded = Content.uniqueRepository("podman");
        String pushed = Content.uniqueRepository("podman");
        Cli.run("skopeo", "copy", "--dest-tls-verify=false", layout.reference("v1"), Skopeo.reference(seeded + ":v1"));

        Path firstStore = work.resolve("store-1");
        podman(firstStore, "pull", "--tls-verify=false", image(seeded + ":v1"));
        String imageId = podman(firstStore, "image", "inspect", "--format", "{{.Id}}", image(seeded + ":v1")).trim();
        podman(firstStore, "tag", image(seeded + ":v1"), image(pushed + ":v2"));
        podman(firstStore, "push", "--tls-verify=false", image(pushed + ":v2"));
        given().when().get("/v2/" + pushed + "/tags/list").then().statusCode(200)
                .body("tags", org.hamcrest.Matchers.contains("v2"));

        Path secondStore = work.resolve("store-2");
        podman(secondStore, "pull", "--tls-verify=false", image(pushed + ":v2"));
        assertEquals(imageId, podman(secondStore, "image", "inspect", "--format", "{{.Id}}", image(pushed + ":v2")).trim());
    }

    static String image(String repositoryAndTag) {
        return "localhost:" + RestAssured.port + "/" + repositoryAndTag;
    }

    static String podman(Path store, String... arguments) {
        return Cli.run(podmanCommand(store, arguments));
    }

    /** podman with its own image store under {@code store}, rootless-friendly settings. */
    static List<String> podmanCommand(Path store, String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman", "--root", store.resolve("root").toString(),
                "--runroot", store.resolve("run").toString(), "--storage-driver", "vfs", "--events-backend", "file",
                "--cgroup-manager", "cgroupfs"));
        command.addAll(List.of(arguments));
        return command;
    }
}
