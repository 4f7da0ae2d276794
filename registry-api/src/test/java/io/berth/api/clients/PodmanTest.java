package io.berth.api.clients;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Skopeo;
import io.berth.api.testing.Content;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Podman;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Path;
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
        Podman.run(firstStore, "pull", "--tls-verify=false", image(seeded + ":v1"));
        String imageId = Podman.run(firstStore, "image", "inspect", "--format", "{{.Id}}", image(seeded + ":v1")).trim();
        Podman.run(firstStore, "tag", image(seeded + ":v1"), image(pushed + ":v2"));
        Podman.run(firstStore, "push", "--tls-verify=false", image(pushed + ":v2"));
        given().when().get("/v2/" + pushed + "/tags/list").then().statusCode(200)
                .body("tags", org.hamcrest.Matchers.contains("v2"));

        Path secondStore = work.resolve("store-2");
        Podman.run(secondStore, "pull", "--tls-verify=false", image(pushed + ":v2"));
        assertEquals(imageId, Podman.run(secondStore, "image", "inspect", "--format", "{{.Id}}", image(pushed + ":v2")).trim());
    }

    static String image(String repositoryAndTag) {
        return "localhost:" + RestAssured.port + "/" + repositoryAndTag;
    }
}
