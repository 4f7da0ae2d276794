package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.Registry.OCI_MANIFEST;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pushing one manifest by digest under several tags at once ({@code ?tag=a&tag=b}, distribution spec
 * after v1.1.1): every tag is created in the same step, each confirmed by an {@code OCI-Tag} header,
 * for sha256- and sha512-addressed manifests alike.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ManifestPushWithTagsTest {

    @Test
    void aPushByDigestWithTagParametersCreatesEveryTagAndConfirmsEachOne() {
        String repo = Content.uniqueRepository("multitag");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"multi\":1}"), Content.random(2048));
        String digest = Content.sha256(manifest);

        Response pushed = given().contentType(OCI_MANIFEST).body(manifest)
                .queryParam("tag", "v3").queryParam("tag", "v3.1").queryParam("tag", "latest")
                .when().put("/v2/" + repo + "/manifests/" + digest);

        pushed.then().statusCode(201).header("Docker-Content-Digest", digest)
                .header("Location", "/v2/" + repo + "/manifests/" + digest);
        assertEquals(List.of("v3", "v3.1", "latest"), pushed.headers().getValues("OCI-Tag"));
        for (String tag : List.of("v3", "v3.1", "latest")) {
            byte[] served = given().get("/v2/" + repo + "/manifests/" + tag).then().statusCode(200)
                    .header("Docker-Content-Digest", digest).extract().asByteArray();
            assertArrayEquals(manifest, served);
        }
        given().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("tags", hasItems("v3", "v3.1", "latest"));
    }

    @Test
    void aSha512ManifestKeepsItsDigestUnderEveryTag() {
        String repo = Content.uniqueRepository("multitag512");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"multi\":512}"), Content.random(1024));
        String digest = Content.sha512(manifest);

        Response pushed = given().contentType(OCI_MANIFEST).body(manifest)
                .queryParam("tag", "stable").queryParam("tag", "1.0")
                .when().put("/v2/" + repo + "/manifests/" + digest);

        pushed.then().statusCode(201).header("Docker-Content-Digest", digest);
        assertEquals(List.of("stable", "1.0"), pushed.headers().getValues("OCI-Tag"));
        given().head("/v2/" + repo + "/manifests/1.0").then().statusCode(200).header("Docker-Content-Digest", digest);
        given().get("/v2/" + repo + "/manifests/stable").then().statusCode(200).header("Docker-Content-Digest", digest);
    }

    @Test
    void aPushWithoutTagParametersAnswersNoOciTag() {
        String repo = Content.uniqueRepository("multitagnone");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"multi\":0}"), Content.random(512));
        Response pushed = given().contentType(OCI_MANIFEST).body(manifest)
                .when().put("/v2/" + repo + "/manifests/" + Content.sha256(manifest));
        pushed.then().statusCode(201);
        assertEquals(List.of(), pushed.headers().getValues("OCI-Tag"));
    }

    @Test
    void anInvalidTagRefusesTheWholePushAndCreatesNothing() {
        String repo = Content.uniqueRepository("multitagbad");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"multi\":\"bad\"}"), Content.random(512));
        String digest = Content.sha256(manifest);

        ociError(given().contentType(OCI_MANIFEST).body(manifest)
                .queryParam("tag", "good").queryParam("tag", "-bad")
                .when().put("/v2/" + repo + "/manifests/" + digest).then(), 400, "TAG_INVALID");

        ociError(given().get("/v2/" + repo + "/manifests/good").then(), 404, "MANIFEST_UNKNOWN");
        ociError(given().get("/v2/" + repo + "/manifests/" + digest).then(), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void tagParametersGoOnlyWithAPushByDigestAndAreBounded() {
        String repo = Content.uniqueRepository("multitagrules");
        byte[] manifest = Registry.imageManifest(repo, Content.utf8("{\"multi\":\"rules\"}"), Content.random(512));
        ociError(given().contentType(OCI_MANIFEST).body(manifest).queryParam("tag", "extra")
                .when().put("/v2/" + repo + "/manifests/base").then(), 400, "TAG_INVALID");
        ociError(given().get("/v2/" + repo + "/manifests/extra").then(), 404, "MANIFEST_UNKNOWN");

        Object[] tooMany = IntStream.range(0, ManifestEndpoint.MAX_TAGS_PER_PUSH + 1).mapToObj(i -> "t" + i).toArray();
        ociError(given().contentType(OCI_MANIFEST).body(manifest).queryParam("tag", tooMany)
                .when().put("/v2/" + repo + "/manifests/" + Content.sha256(manifest)).then(), 400, "TAG_INVALID");
    }

    @Test
    void deletesAnswerTheDigestOfWhatTheyDeleted() {
        String repo = Content.uniqueRepository("deletedigest");
        byte[] manifest = Registry.pushImage(repo, "v1");
        String digest = Content.sha256(manifest);
        given().delete("/v2/" + repo + "/manifests/v1").then().statusCode(202).header("Docker-Content-Digest", equalTo(digest));
        given().delete("/v2/" + repo + "/manifests/" + digest).then().statusCode(202).header("Docker-Content-Digest", digest);
        byte[] blob = Content.random(300);
        String blobDigest = Registry.pushBlob(repo, blob);
        given().delete("/v2/" + repo + "/blobs/" + blobDigest).then().statusCode(202).header("Docker-Content-Digest", blobDigest);
    }
}
