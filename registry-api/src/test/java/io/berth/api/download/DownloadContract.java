package io.berth.api.download;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.Registry;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every download path must do, over HTTP as a client sees it: whole blobs and ranges that
 * cross the copy's chunk boundaries come back exactly, more clients at once than there are copy
 * buffers are all served, and clients that hang up mid-body leave nothing held.
 */
abstract class DownloadContract {
    /** Three and a half copy chunks: the last read is short, and ranges can start and end inside chunks. */
    private static final int SIZE = 3 * CopyBuffers.CHUNK_BYTES + CopyBuffers.CHUNK_BYTES / 2 + 17;

    @Inject
    FileDownloads downloads;

    /** The path this suite's profile configures. */
    abstract DownloadPath expectedPath();

    @Test
    void theConfiguredPathIsTheOneInUse() {
        assertEquals(expectedPath(), downloads.path());
    }

    @Test
    void aBlobOfSeveralChunksComesBackExactly() {
        String repo = Content.uniqueRepository("download-path");
        byte[] blob = Content.random(SIZE);
        String digest = Registry.pushBlob(repo, blob);
        Response get = given().when().get("/v2/" + repo + "/blobs/" + digest);
        get.then().statusCode(200).header("Content-Length", String.valueOf(SIZE));
        assertArrayEquals(blob, get.asByteArray());
    }

    @Test
    void rangesAcrossChunkBoundariesComeBackExactly() {
        String repo = Content.uniqueRepository("download-path");
        byte[] blob = Content.random(SIZE);
        String digest = Registry.pushBlob(repo, blob);
        int chunk = CopyBuffers.CHUNK_BYTES;
        int[][] ranges = {{chunk - 1, chunk}, {chunk / 2, 2 * chunk + 5}, {0, SIZE - 1}, {3 * chunk, SIZE - 1}, {300_000, 2 * chunk}};
        for (int[] range : ranges) {
            Response get = given().header("Range", "bytes=" + range[0] + "-" + range[1])
                    .when().get("/v2/" + repo + "/blobs/" + digest);
            get.then().statusCode(206).header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + SIZE);
            assertArrayEquals(Arrays.copyOfRange(blob, range[0], range[1] + 1), get.asByteArray());
        }
    }

    @Test
    void moreClientsThanCopyBuffersAreAllServed() throws Exception {
        String repo = Content.uniqueRepository("download-path");
        byte[] blob = Content.random(SIZE);
        String digest = Registry.pushBlob(repo, blob);
        ExecutorService clients = Executors.newFixedThreadPool(24);
        try {
            List<Future<byte[]>> bodies = IntStream.range(0, 24)
                    .mapToObj(i -> clients.submit(() -> given().when().get("/v2/" + repo + "/blobs/" + digest).asByteArray()))
                    .toList();
            for (Future<byte[]> body : bodies) {
                assertArrayEquals(blob, body.get());
            }
        } finally {
            clients.shutdownNow();
        }
        awaitNoCopiesInFlight();
    }

    @Test
    void clientsHangingUpMidBodyLeaveNothingHeld() throws Exception {
        String repo = Content.uniqueRepository("download-path");
        byte[] blob = Content.random(SIZE);
        String digest = Registry.pushBlob(repo, blob);
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v2/" + repo + "/blobs/" + digest + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                        + Credentials.basic(Credentials.ADMIN, Credentials.ADMIN_PASSWORD) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                in.readNBytes(64 * 1024 + i * 10_000);
            }
        }
        awaitNoCopiesInFlight();
        // And the path still serves whole blobs afterwards.
        assertArrayEquals(blob, given().when().get("/v2/" + repo + "/blobs/" + digest).asByteArray());
    }

    private void awaitNoCopiesInFlight() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (downloads.copiesInFlight() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(0, downloads.copiesInFlight(), "copy buffers still held after every download ended");
    }
}
