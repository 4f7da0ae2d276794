package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.ImmutabilityRules;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Immutable tags over the distribution protocol: a push that would move one and a delete that would
 * remove one are refused with 403 DENIED saying which tag and which rule; a new tag the rule matches
 * is created once, and pushing the same manifest again changes nothing and succeeds.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ImmutableTagPushTest {
    private static final String RULE = "^v[0-9.]+$";

    @Test
    void aPushOverAnImmutableTagIsRefusedAndTheTagKeepsItsManifest() {
        String repo = Content.uniqueRepository("immutable");
        byte[] first = Registry.pushImage(repo, "v1.0");
        ImmutabilityRules.forRepository(repo, RULE);

        byte[] second = Registry.imageManifest(repo, Content.utf8("{\"other\":" + System.nanoTime() + "}"), Content.random(512));
        ociError(given().contentType(Registry.OCI_MANIFEST).body(second).put("/v2/" + repo + "/manifests/v1.0").then(), 403, "DENIED")
                .body("errors[0].message", equalTo("tag v1.0 in " + repo + " is immutable (rule " + RULE + "): it cannot be moved to"
                        + " another manifest"))
                .body("errors[0].detail", equalTo("tag v1.0 in " + repo + " is immutable (rule " + RULE + "): it cannot be moved to"
                        + " another manifest"));
        given().get("/v2/" + repo + "/manifests/v1.0").then().statusCode(200).header("Docker-Content-Digest", Content.sha256(first));

        // The same manifest again is no move: accepted, as clients re-push what is there.
        Registry.putManifest(repo, "v1.0", Registry.OCI_MANIFEST, first);
        // A tag the rule does not match moves freely.
        Registry.putManifest(repo, "latest", Registry.OCI_MANIFEST, first);
        Registry.putManifest(repo, "latest", Registry.OCI_MANIFEST, second);
    }

    @Test
    void aNewTagTheRuleMatchesIsCreatedOnce() {
        String repo = Content.uniqueRepository("immutable");
        Registry.pushImage(repo, "seed");
        ImmutabilityRules.forRepository(repo, RULE);

        byte[] release = Registry.pushImage(repo, "v2.0");
        byte[] other = Registry.imageManifest(repo, Content.utf8("{\"other\":" + System.nanoTime() + "}"), Content.random(512));
        ociError(given().contentType(Registry.OCI_MANIFEST).body(other).put("/v2/" + repo + "/manifests/v2.0").then(), 403, "DENIED");
        given().get("/v2/" + repo + "/manifests/v2.0").then().statusCode(200).header("Docker-Content-Digest", Content.sha256(release));
    }

    @Test
    void aPushUnderSeveralTagsIsRefusedWholeWhenOneOfThemIsImmutable() {
        String repo = Content.uniqueRepository("immutable");
        byte[] first = Registry.pushImage(repo, "v3");
        ImmutabilityRules.forRepository(repo, RULE);
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"several\":" + System.nanoTime() + "}"), Content.random(512));
        String digest = Content.sha256(manifest);

        ociError(given().contentType(Registry.OCI_MANIFEST).body(manifest).queryParam("tag", "fresh").queryParam("tag", "v3")
                .put("/v2/" + repo + "/manifests/" + digest).then(), 403, "DENIED")
                .body("errors[0].message", equalTo("tag v3 in " + repo + " is immutable (rule " + RULE + "): it cannot be moved to"
                        + " another manifest"));
        // All or nothing: neither the other tag nor the manifest remains.
        given().get("/v2/" + repo + "/manifests/fresh").then().statusCode(404);
        given().get("/v2/" + repo + "/manifests/" + digest).then().statusCode(404);
        given().get("/v2/" + repo + "/manifests/v3").then().statusCode(200).header("Docker-Content-Digest", Content.sha256(first));
        given().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("tags", not(hasItem("fresh")));
    }

    @Test
    void deletingAnImmutableTagOrTheManifestItNamesIsRefused() {
        String repo = Content.uniqueRepository("immutable");
        byte[] manifest = Registry.pushImage(repo, "v4.1");
        String digest = Content.sha256(manifest);
        Registry.putManifest(repo, "candidate", Registry.OCI_MANIFEST, manifest);
        byte[] loose = Registry.pushImage(repo, "scratch");
        ImmutabilityRules.forRepository(repo, RULE);

        ociError(given().delete("/v2/" + repo + "/manifests/v4.1").then(), 403, "DENIED")
                .body("errors[0].message", equalTo("tag v4.1 in " + repo + " is immutable (rule " + RULE + "): it cannot be deleted"));
        ociError(given().delete("/v2/" + repo + "/manifests/" + digest).then(), 403, "DENIED")
                .body("errors[0].message", equalTo("tag v4.1 in " + repo + " is immutable (rule " + RULE + "): it cannot be deleted"));
        given().get("/v2/" + repo + "/manifests/v4.1").then().statusCode(200);
        given().get("/v2/" + repo + "/manifests/candidate").then().statusCode(200);

        // What no rule protects goes as before: a tag of the same manifest, and another manifest.
        given().delete("/v2/" + repo + "/manifests/candidate").then().statusCode(202);
        given().delete("/v2/" + repo + "/manifests/" + Content.sha256(loose)).then().statusCode(202);
        // A tag that does not exist is unknown, whatever the rules.
        ociError(given().delete("/v2/" + repo + "/manifests/v9.9").then(), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aRuleOfTagsNotMatchingProtectsEveryOtherTag() {
        String repo = Content.uniqueRepository("immutable");
        byte[] first = Registry.pushImage(repo, "1.0");
        Registry.putManifest(repo, "dev-branch", Registry.OCI_MANIFEST, first);
        io.berth.api.testing.Accounts.asAdmin().body("{\"tagPattern\":\"dev-.*\",\"tagPatternMatches\":false}")
                .post("/api/v1/repository/" + repo + "/immutabilitypolicy/").then().statusCode(201)
                .body("tagPatternMatches", equalTo(false));
        byte[] second = Registry.imageManifest(repo, Content.utf8("{\"other\":" + System.nanoTime() + "}"), Content.random(512));

        Registry.putManifest(repo, "dev-branch", Registry.OCI_MANIFEST, second);
        ociError(given().contentType(Registry.OCI_MANIFEST).body(second).put("/v2/" + repo + "/manifests/1.0").then(), 403, "DENIED")
                .body("errors[0].message", equalTo("tag 1.0 in " + repo + " is immutable (rule not matching dev-.*): it cannot be moved"
                        + " to another manifest"));
    }
}
