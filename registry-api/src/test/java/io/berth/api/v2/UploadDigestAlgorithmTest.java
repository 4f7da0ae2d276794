package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v2/<name>/blobs/uploads/?digest-algorithm=} (distribution spec after v1.1.1): the
 * upload is hashed with the announced algorithm while it is received, so a sha512 blob pushed in
 * chunks completes like a sha256 one; an algorithm the registry does not know is refused up front.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class UploadDigestAlgorithmTest {

    @Test
    void aChunkedSha512UploadAnnouncedAtTheStartCompletesAndIsServed() {
        String repo = Content.uniqueRepository("sha512");
        byte[] blob = Content.random(3 * 700_000);
        String digest = Content.sha512(blob);
        String location = given().queryParam("digest-algorithm", "sha512")
                .when().post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(202).extract().header("Location");
        for (int i = 0; i < 3; i++) {
            int from = i * 700_000;
            location = given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, from, from + 700_000))
                    .header("Content-Range", from + "-" + (from + 699_999))
                    .when().patch(location).then().statusCode(202).extract().header("Location");
        }
        given().queryParam("digest", digest).when().put(location)
                .then().statusCode(201).header("Docker-Content-Digest", digest);

        byte[] served = given().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200)
                .header("Docker-Content-Digest", digest).extract().asByteArray();
        assertArrayEquals(blob, served);
        given().head("/v2/" + repo + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", String.valueOf(blob.length));
    }

    @Test
    void aSha256AnnouncementIsTheDefaultAndAWrongDigestIsStillRefused() {
        String repo = Content.uniqueRepository("sha256announced");
        byte[] blob = Content.random(2 * 1024 * 1024);
        String location = given().queryParam("digest-algorithm", "sha256")
                .when().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        ociError(given().contentType(ContentType.BINARY).body(blob).queryParam("digest", Content.sha512(Content.random(10)))
                .when().put(location).then(), 400, "DIGEST_INVALID");

        String again = given().queryParam("digest-algorithm", "sha256")
                .when().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        given().contentType(ContentType.BINARY).body(blob).queryParam("digest", Content.sha256(blob))
                .when().put(again).then().statusCode(201);
    }

    @Test
    void aMonolithicSha512PostLargerThanOneBufferIsStored() {
        String repo = Content.uniqueRepository("sha512mono");
        byte[] blob = Content.random(3 * 1024 * 1024);
        String digest = Content.sha512(blob);
        given().contentType(ContentType.BINARY).body(blob).queryParam("digest", digest)
                .when().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(201)
                .header("Docker-Content-Digest", digest);
        assertArrayEquals(blob, given().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void unknownOrContradictoryAlgorithmsAreRefusedBeforeAnySessionOpens() {
        String repo = Content.uniqueRepository("badalgorithm");
        for (String algorithm : new String[] {"md5", "SHA256", "", "sha384", "blake3", "sha256\u0000"}) {
            ociError(given().queryParam("digest-algorithm", algorithm).when().post("/v2/" + repo + "/blobs/uploads/").then(),
                    400, "DIGEST_INVALID");
        }
        byte[] blob = Content.random(100);
        ociError(given().contentType(ContentType.BINARY).body(blob)
                .queryParam("digest-algorithm", "sha512").queryParam("digest", Content.sha256(blob))
                .when().post("/v2/" + repo + "/blobs/uploads/").then(), 400, "DIGEST_INVALID");
        given().head("/v2/" + repo + "/blobs/" + Content.sha256(blob)).then().statusCode(404);
    }
}
