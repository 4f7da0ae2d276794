package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class BlobDownloadTest {

    @Test
    void headAnswersSizeDigestEtagAndRangeSupportWithoutBody() {
        String repo = Content.uniqueRepository("download");
        byte[] blob = Content.random(2048);
        String digest = Registry.pushBlob(repo, blob);
        Response head = given().when().head("/v2/" + repo + "/blobs/" + digest);
        head.then().statusCode(200)
                .header("Content-Length", "2048")
                .header("Docker-Content-Digest", digest)
                .header("ETag", "\"" + digest + "\"")
                .header("Accept-Ranges", "bytes")
                .header("Docker-Distribution-API-Version", "registry/2.0");
        assertEquals(0, head.asByteArray().length);
    }

    @Test
    void getServesTheExactBytes() {
        String repo = Content.uniqueRepository("download");
        byte[] blob = Content.random(300_000);
        String digest = Registry.pushBlob(repo, blob);
        Response get = given().when().get("/v2/" + repo + "/blobs/" + digest);
        get.then().statusCode(200).header("Content-Length", "300000").header("Docker-Content-Digest", digest);
        assertArrayEquals(blob, get.asByteArray());
    }

    @Test
    void emptyBlobHasContentLengthZero() {
        String repo = Content.uniqueRepository("download");
        String digest = Registry.pushBlob(repo, new byte[0]);
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest);
        given().when().head("/v2/" + repo + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "0");
        given().when().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "0");
    }

    @Test
    void rangeRequestsAnswer206WithTheSlice() {
        String repo = Content.uniqueRepository("download");
        byte[] blob = Content.random(2048);
        String digest = Registry.pushBlob(repo, blob);
        assertRange(repo, digest, "bytes=500-1499", "bytes 500-1499/2048", Arrays.copyOfRange(blob, 500, 1500));
        assertRange(repo, digest, "bytes=500-", "bytes 500-2047/2048", Arrays.copyOfRange(blob, 500, 2048));
        assertRange(repo, digest, "bytes=-500", "bytes 1548-2047/2048", Arrays.copyOfRange(blob, 1548, 2048));
        assertRange(repo, digest, "bytes=2000-5000", "bytes 2000-2047/2048", Arrays.copyOfRange(blob, 2000, 2048));
    }

    @Test
    void unsatisfiableRangesAnswer416WithTheSize() {
        String repo = Content.uniqueRepository("download");
        String digest = Registry.pushBlob(repo, Content.random(2048));
        for (String range : new String[] {"bytes=500-0", "bytes=5000-10000"}) {
            ociError(given().header("Range", range).when().get("/v2/" + repo + "/blobs/" + digest).then(), 416, "RANGE_INVALID")
                    .header("Content-Range", "bytes */2048");
        }
    }

    @Test
    void matchingEtagAnswers304() {
        String repo = Content.uniqueRepository("download");
        String digest = Registry.pushBlob(repo, Content.random(100));
        given().header("If-None-Match", "\"" + digest + "\"").when().get("/v2/" + repo + "/blobs/" + digest)
                .then().statusCode(304);
    }

    @Test
    void unknownBlobAndUnknownRepositoryAre404() {
        String repo = Content.uniqueRepository("download");
        Registry.pushBlob(repo, Content.random(10));
        String absent = Content.sha256(Content.utf8("hello world"));
        ociError(given().when().get("/v2/" + repo + "/blobs/" + absent).then(), 404, "BLOB_UNKNOWN");
        given().when().head("/v2/" + repo + "/blobs/" + absent).then().statusCode(404);
        ociError(given().when().get("/v2/nobody/here/blobs/" + absent).then(), 404, "BLOB_UNKNOWN");
    }

    @Test
    void blobIsServedOnlyFromRepositoriesThatLinkIt() {
        String owner = Content.uniqueRepository("download");
        String stranger = Content.uniqueRepository("download");
        Registry.pushBlob(stranger, Content.random(10));
        String digest = Registry.pushBlob(owner, Content.random(64));
        ociError(given().when().get("/v2/" + stranger + "/blobs/" + digest).then(), 404, "BLOB_UNKNOWN");
    }

    @Test
    void malformedDigestIsDigestInvalid() {
        String repo = Content.uniqueRepository("download");
        ociError(given().when().get("/v2/" + repo + "/blobs/sha256:nothex").then(), 400, "DIGEST_INVALID");
        ociError(given().when().get("/v2/" + repo + "/blobs/sha999:abcd").then(), 400, "DIGEST_INVALID");
    }

    @Test
    void deleteUnlinksTheBlobFromTheRepositoryOnly() {
        String repo = Content.uniqueRepository("download");
        String other = Content.uniqueRepository("download");
        byte[] blob = Content.random(512);
        String digest = Registry.pushBlob(repo, blob);
        Registry.pushBlob(other, blob);
        given().when().delete("/v2/" + repo + "/blobs/" + digest).then().statusCode(202);
        given().when().head("/v2/" + repo + "/blobs/" + digest).then().statusCode(404);
        ociError(given().when().delete("/v2/" + repo + "/blobs/" + digest).then(), 404, "BLOB_UNKNOWN");
        given().when().get("/v2/" + other + "/blobs/" + digest).then().statusCode(200).header("Content-Length", equalTo("512"));
    }

    @Test
    void blobResponsesAreBytesABrowserSavesAndNeverRenders() {
        String repo = Content.uniqueRepository("download");
        byte[] page = Content.utf8("<html><script>alert(document.cookie)</script></html>");
        String digest = Registry.pushBlob(repo, page);
        String path = "/v2/" + repo + "/blobs/" + digest;
        for (Response response : List.of(given().when().get(path), given().when().head(path),
                given().header("Range", "bytes=0-9").when().get(path), given().header("Accept", "text/html").when().get(path))) {
            response.then().statusCode(org.hamcrest.Matchers.oneOf(200, 206))
                    .header("Content-Type", "application/octet-stream")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "sandbox")
                    .header("Content-Disposition", "attachment");
        }
    }

    private static void assertRange(String repo, String digest, String range, String contentRange, byte[] expected) {
        Response response = given().header("Range", range).when().get("/v2/" + repo + "/blobs/" + digest);
        response.then().statusCode(206)
                .header("Content-Range", contentRange)
                .header("Content-Length", String.valueOf(expected.length));
        assertArrayEquals(expected, response.asByteArray());
    }
}
