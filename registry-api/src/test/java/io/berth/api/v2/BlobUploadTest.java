package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class BlobUploadTest {

    @Test
    void postStartsASessionWithLocationRangeAndUuid() {
        String repo = Content.uniqueRepository("upload");
        given().when().post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(202)
                .header("Location", matchesPattern("/v2/" + repo + "/blobs/uploads/[0-9a-f-]{36}"))
                .header("Range", equalTo("0-0"))
                .header("Docker-Upload-UUID", matchesPattern("[0-9a-f-]{36}"))
                .header("Docker-Distribution-API-Version", "registry/2.0");
    }

    @Test
    void monolithicPostWithDigestStoresTheBlob() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(4096);
        String digest = Content.sha256(blob);
        given().contentType(ContentType.BINARY).body(blob).queryParam("digest", digest)
                .when().post("/v2/" + repo + "/blobs/uploads/")
                .then().statusCode(201)
                .header("Location", equalTo("/v2/" + repo + "/blobs/" + digest))
                .header("Docker-Content-Digest", digest);
        assertArrayEquals(blob, download(repo, digest));
    }

    @Test
    void postThenMonolithicPutStoresTheBlob() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(10_000);
        String digest = Content.sha256(blob);
        String location = start(repo);
        given().contentType(ContentType.BINARY).body(blob).queryParam("digest", digest)
                .when().put(location)
                .then().statusCode(201).header("Location", "/v2/" + repo + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertArrayEquals(blob, download(repo, digest));
    }

    @Test
    void chunkedUploadWithContentRangeThenEmptyPut() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(3 * 50_000);
        String digest = Content.sha256(blob);
        String location = start(repo);
        for (int i = 0; i < 3; i++) {
            int from = i * 50_000;
            location = given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, from, from + 50_000))
                    .header("Content-Range", from + "-" + (from + 49_999))
                    .when().patch(location)
                    .then().statusCode(202)
                    .header("Range", "0-" + (from + 49_999))
                    .header("Docker-Upload-UUID", not(emptyOrNullString()))
                    .extract().header("Location");
        }
        given().queryParam("digest", digest).when().put(location).then().statusCode(201);
        assertArrayEquals(blob, download(repo, digest));
    }

    @Test
    void streamedPatchWithoutContentRangeThenPutWithLastChunk() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(70_000);
        String digest = Content.sha256(blob);
        String location = start(repo);
        location = given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 0, 40_000))
                .when().patch(location)
                .then().statusCode(202).header("Range", "0-39999")
                .extract().header("Location");
        given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 40_000, 70_000))
                .queryParam("digest", digest)
                .when().put(location)
                .then().statusCode(201).header("Docker-Content-Digest", digest);
        assertArrayEquals(blob, download(repo, digest));
    }

    @Test
    void outOfOrderChunkIsRejectedWith416() {
        String repo = Content.uniqueRepository("upload");
        String location = start(repo);
        location = given().contentType(ContentType.BINARY).body(Content.random(100)).header("Content-Range", "0-99")
                .when().patch(location).then().statusCode(202).extract().header("Location");
        ociError(given().contentType(ContentType.BINARY).body(Content.random(100)).header("Content-Range", "150-249")
                .when().patch(location).then(), 416, "RANGE_INVALID")
                .header("Range", "0-99");
        // The session is intact: the next chunk in order is accepted.
        given().contentType(ContentType.BINARY).body(Content.random(100)).header("Content-Range", "100-199")
                .when().patch(location).then().statusCode(202).header("Range", "0-199");
    }

    @Test
    void resendingAnAcceptedChunkIsRejectedWith416AndTheOriginalUrlStillWorks() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(42);
        String original = start(repo);
        given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 0, 22)).header("Content-Range", "0-21")
                .when().patch(original).then().statusCode(202).header("Range", "0-21");
        ociError(given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 0, 22)).header("Content-Range", "0-21")
                .when().patch(original).then(), 416, "RANGE_INVALID");
        String next = given().when().get(original).then().statusCode(204).header("Range", "0-21").extract().header("Location");
        given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 22, 42)).header("Content-Range", "22-41")
                .when().patch(next).then().statusCode(202).header("Range", "0-41");
        given().queryParam("digest", Content.sha256(blob)).when().put(next).then().statusCode(201);
        assertArrayEquals(blob, download(repo, Content.sha256(blob)));
    }

    @Test
    void finalPutWithAnOutOfOrderContentRangeIs416AndKeepsTheSession() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(300);
        String location = start(repo);
        given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 0, 100)).header("Content-Range", "0-99")
                .when().patch(location).then().statusCode(202);
        ociError(given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 200, 300)).header("Content-Range", "200-299")
                .queryParam("digest", Content.sha256(blob)).when().put(location).then(), 416, "RANGE_INVALID");
        given().when().get(location).then().statusCode(204).header("Range", "0-99");
        given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 100, 300)).header("Content-Range", "100-299")
                .queryParam("digest", Content.sha256(blob)).when().put(location).then().statusCode(201);
        assertArrayEquals(blob, download(repo, Content.sha256(blob)));
    }

    @Test
    void mountWithoutFromLinksABlobTheRegistryHolds() {
        String source = Content.uniqueRepository("mount");
        String target = Content.uniqueRepository("mount");
        byte[] blob = Content.random(777);
        String digest = io.berth.api.testing.Registry.pushBlob(source, blob);
        given().queryParam("mount", digest).when().post("/v2/" + target + "/blobs/uploads/")
                .then().statusCode(201).header("Location", "/v2/" + target + "/blobs/" + digest);
        assertArrayEquals(blob, download(target, digest));
        String unknown = Content.sha256(Content.utf8("hello world"));
        given().queryParam("mount", unknown).when().post("/v2/" + target + "/blobs/uploads/")
                .then().statusCode(202);
    }

    @Test
    void uploadStatusReportsTheReceivedRange() {
        String repo = Content.uniqueRepository("upload");
        String location = start(repo);
        given().when().get(location).then().statusCode(204).header("Range", "0-0")
                .header("Location", location);
        given().contentType(ContentType.BINARY).body(Content.random(1234)).when().patch(location).then().statusCode(202);
        given().when().get(location).then().statusCode(204).header("Range", "0-1233")
                .header("Docker-Upload-UUID", location.substring(location.lastIndexOf('/') + 1));
    }

    @Test
    void cancelDeletesTheSession() {
        String repo = Content.uniqueRepository("upload");
        String location = start(repo);
        given().contentType(ContentType.BINARY).body(Content.random(100)).when().patch(location).then().statusCode(202);
        given().when().delete(location).then().statusCode(204);
        ociError(given().when().get(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        ociError(given().when().delete(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void unknownOrMalformedUploadIdIsBlobUploadUnknown() {
        String repo = Content.uniqueRepository("upload");
        start(repo);
        ociError(given().when().get("/v2/" + repo + "/blobs/uploads/6c1d3a4e-0000-4000-8000-000000000000").then(),
                404, "BLOB_UPLOAD_UNKNOWN");
        ociError(given().when().get("/v2/" + repo + "/blobs/uploads/not-a-uuid").then(), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void digestMismatchIsDigestInvalidAndStoresNothing() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(2048);
        String wrong = Content.sha256(Content.random(10));
        String location = start(repo);
        ociError(given().contentType(ContentType.BINARY).body(blob).queryParam("digest", wrong)
                .when().put(location).then(), 400, "DIGEST_INVALID");
        given().when().head("/v2/" + repo + "/blobs/" + wrong).then().statusCode(404);
        ociError(given().when().get("/v2/" + repo + "/blobs/" + Content.sha256(blob)).then(), 404, "BLOB_UNKNOWN");
        // The failed session is gone too.
        ociError(given().when().get(location).then(), 404, "BLOB_UPLOAD_UNKNOWN");
        // Monolithic POST with a wrong digest likewise.
        ociError(given().contentType(ContentType.BINARY).body(blob).queryParam("digest", wrong)
                .when().post("/v2/" + repo + "/blobs/uploads/").then(), 400, "DIGEST_INVALID");
    }

    @Test
    void malformedDigestParameterIsDigestInvalid() {
        String repo = Content.uniqueRepository("upload");
        String location = start(repo);
        ociError(given().queryParam("digest", "sha256:xyz").when().put(location).then(), 400, "DIGEST_INVALID");
        ociError(given().queryParam("digest", "md5:d41d8cd98f00b204e9800998ecf8427e").when().put(location).then(),
                400, "DIGEST_INVALID");
        ociError(given().when().put(start(repo)).then(), 400, "DIGEST_INVALID");
    }

    @Test
    void sha512DigestsAreVerified() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(5000);
        String digest = Content.sha512(blob);
        String location = start(repo);
        given().contentType(ContentType.BINARY).body(blob).queryParam("digest", digest)
                .when().put(location).then().statusCode(201).header("Docker-Content-Digest", digest);
        assertArrayEquals(blob, download(repo, digest));
    }

    @Test
    void chunkedUploadFinishedWithSha512() {
        String repo = Content.uniqueRepository("upload");
        byte[] blob = Content.random(9000);
        String location = start(repo);
        location = given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 0, 4000))
                .when().patch(location).then().statusCode(202).extract().header("Location");
        given().contentType(ContentType.BINARY).body(Arrays.copyOfRange(blob, 4000, 9000))
                .queryParam("digest", Content.sha512(blob))
                .when().put(location).then().statusCode(201);
        assertArrayEquals(blob, download(repo, Content.sha512(blob)));
    }

    @Test
    void bodiesAroundTheFrameworkBufferLimitsArriveIntact() {
        // 10 MiB is the HTTP layer's default body limit; blob uploads must stream past it unchanged.
        String repo = Content.uniqueRepository("upload");
        for (int size : new int[] {10 * 1024 * 1024 - 1, 10 * 1024 * 1024 + 1, 24 * 1024 * 1024}) {
            byte[] blob = Content.random(size);
            String digest = Content.sha256(blob);
            String location = start(repo);
            given().contentType(ContentType.BINARY).body(blob).when().patch(location)
                    .then().statusCode(202).header("Range", "0-" + (size - 1));
            given().queryParam("digest", digest).when().put(location).then().statusCode(201);
            assertArrayEquals(blob, download(repo, digest));
        }
    }

    @Test
    void crossRepositoryMountLinksWithoutUpload() {
        String source = Content.uniqueRepository("mount");
        String target = Content.uniqueRepository("mount");
        byte[] blob = Content.random(3000);
        String digest = io.berth.api.testing.Registry.pushBlob(source, blob);
        given().queryParam("mount", digest).queryParam("from", source)
                .when().post("/v2/" + target + "/blobs/uploads/")
                .then().statusCode(201)
                .header("Location", "/v2/" + target + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertArrayEquals(blob, download(target, digest));
    }

    @Test
    void mountFromARepositoryWithoutTheBlobFallsBackToAnUpload() {
        String source = Content.uniqueRepository("mount");
        String target = Content.uniqueRepository("mount");
        String digest = Content.sha256(Content.random(10));
        io.berth.api.testing.Registry.pushBlob(source, Content.random(20));
        for (String from : new String[] {source, Content.uniqueRepository("absent"), "Not/Valid"}) {
            given().queryParam("mount", digest).queryParam("from", from)
                    .when().post("/v2/" + target + "/blobs/uploads/")
                    .then().statusCode(202)
                    .header("Location", matchesPattern("/v2/" + target + "/blobs/uploads/[0-9a-f-]{36}"));
        }
        given().when().head("/v2/" + target + "/blobs/" + digest).then().statusCode(404);
    }

    @Test
    void sizeMismatchWithContentRangeIsRejected() {
        String repo = Content.uniqueRepository("upload");
        String location = start(repo);
        ociError(given().contentType(ContentType.BINARY).body(Content.random(100)).header("Content-Range", "0-49")
                .when().patch(location).then(), 416, "RANGE_INVALID");
    }

    @Test
    void zeroLengthBlobIsStoredAndServedWhicheverWayItIsPushed() {
        String empty = Content.sha256(new byte[0]);
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", empty);
        // With an empty body and with no body at all (no Content-Length), monolithic and after a POST.
        for (byte[] body : new byte[][] {new byte[0], null}) {
            String monolithic = Content.uniqueRepository("empty");
            assertCreated(RawHttp.send("POST", "/v2/" + monolithic + "/blobs/uploads/?digest=" + empty, Map.of(), body), empty);
            assertServedEmpty(monolithic, empty);

            String twoStep = Content.uniqueRepository("empty");
            String location = start(twoStep);
            assertCreated(RawHttp.send("PUT", location + "?digest=" + empty, Map.of(), body), empty);
            assertServedEmpty(twoStep, empty);

            String patched = Content.uniqueRepository("empty");
            location = start(patched);
            RawHttp.Response patch = RawHttp.send("PATCH", location, Map.of(), body);
            assertEquals(202, patch.status(), patch::toString);
            assertEquals("0-0", patch.header("Range"));
            assertCreated(RawHttp.send("PUT", patch.header("Location") + "?digest=" + empty, Map.of(), body), empty);
            assertServedEmpty(patched, empty);
        }
    }

    private static void assertCreated(RawHttp.Response response, String digest) {
        assertEquals(201, response.status(), response::toString);
        assertEquals(digest, response.header("Docker-Content-Digest"));
    }

    private static void assertServedEmpty(String repo, String digest) {
        for (String method : new String[] {"HEAD", "GET"}) {
            RawHttp.Response response = RawHttp.send(method, "/v2/" + repo + "/blobs/" + digest, Map.of(), null);
            assertEquals(200, response.status(), () -> method + ": " + response);
            assertEquals("0", response.header("Content-Length"), method);
            assertEquals(digest, response.header("Docker-Content-Digest"), method);
            assertEquals(0, response.body().length, method);
        }
    }

    static String start(String repo) {
        return given().when().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
    }

    static byte[] download(String repo, String digest) {
        Response response = given().when().get("/v2/" + repo + "/blobs/" + digest);
        response.then().statusCode(200).header("Docker-Content-Digest", digest);
        return response.asByteArray();
    }
}
