package io.berth.api.clients;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.ImmutabilityRules;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Podman;
import io.berth.api.testing.Skopeo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Immutable tags as skopeo and podman meet them: pushing another image over one and deleting one
 * fail, the client prints why (which tag, which rule), and the tag still names its image.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ImmutableTagClientsTest {
    private static final String RULE = "^v[0-9.]+$";

    @TempDir
    Path work;

    @Test
    void skopeoCannotPushOverNorDeleteAnImmutableTagAndSaysWhy() {
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String original = layout.addImage("a", "amd64", 1, 10_000);
        layout.addImage("b", "amd64", 1, 10_000);
        String repo = immutableRepositoryWith(layout.reference("a"));
        String refusal = "tag v1.0 in " + repo + " is immutable (rule " + RULE + ")";

        Cli.Result pushed = Cli.attempt(List.of("skopeo", "copy", "--retry-times=0", "--dest-tls-verify=false", layout.reference("b"),
                Skopeo.reference(repo + ":v1.0")));
        assertNotEquals(0, pushed.exitCode(), pushed.stdout());
        assertTrue(pushed.stderr().contains(refusal + ": it cannot be moved to another manifest"), pushed.stderr());

        Cli.Result deleted = Cli.attempt(List.of("skopeo", "delete", "--retry-times=0", "--tls-verify=false",
                Skopeo.reference(repo + ":v1.0")));
        assertNotEquals(0, deleted.exitCode(), deleted.stdout());
        assertTrue(deleted.stderr().contains(refusal + ": it cannot be deleted"), deleted.stderr());

        given().get("/v2/" + repo + "/manifests/v1.0").then().statusCode(200).header("Docker-Content-Digest", original);
        // The same image again is accepted, and a new tag the rule matches is created once.
        copy(layout.reference("a"), repo + ":v1.0");
        copy(layout.reference("b"), repo + ":v2.0");
    }

    @Test
    void podmanCannotPushOverAnImmutableTagAndSaysWhy() {
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String original = layout.addImage("a", "amd64", 1, 10_000);
        layout.addImage("b", "amd64", 1, 10_000);
        String repo = immutableRepositoryWith(layout.reference("a"));
        copy(layout.reference("b"), repo + ":candidate");

        Path store = work.resolve("store");
        Podman.run(store, "pull", "--tls-verify=false", PodmanTest.image(repo + ":candidate"));
        Podman.run(store, "tag", PodmanTest.image(repo + ":candidate"), PodmanTest.image(repo + ":v1.0"));
        Cli.Result pushed = Cli.attempt(Podman.command(store, "push", "--tls-verify=false", PodmanTest.image(repo + ":v1.0")));
        assertNotEquals(0, pushed.exitCode(), pushed.stdout());
        assertTrue(pushed.stderr().contains("tag v1.0 in " + repo + " is immutable (rule " + RULE + "): it cannot be moved to another"
                + " manifest"), pushed.stderr());
        given().get("/v2/" + repo + "/manifests/v1.0").then().statusCode(200).header("Docker-Content-Digest", original);
    }

    /** A new repository holding {@code image} as v1.0, which {@link #RULE} then makes immutable. */
    private static String immutableRepositoryWith(String image) {
        String repo = Content.uniqueRepository("immutable");
        copy(image, repo + ":v1.0");
        ImmutabilityRules.forRepository(repo, RULE);
        return repo;
    }

    private static void copy(String source, String repositoryAndTag) {
        Cli.run("skopeo", "copy", "--retry-times=0", "--dest-tls-verify=false", source, Skopeo.reference(repositoryAndTag));
    }
}
