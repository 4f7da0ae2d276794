package io.berth.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.core.domain.Digest;
import io.berth.core.storage.BlobSource;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.BlobStoreContract;
import io.berth.core.storage.StorageUnavailableException;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3 store passes the whole contract against a real S3 server, plus what is particular to S3. */
class S3BlobStoreTest extends BlobStoreContract {
    private static S3TestServer server;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3TestServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected BlobStore createStore(Vertx vertx) {
        bucket = "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        return new S3BlobStore(vertx, server.bucket(bucket, false));
    }

    @Override
    protected BlobStore sameStorage(Vertx vertx) {
        return new S3BlobStore(vertx, server.bucket(bucket, false));
    }

    @Test
    void uploadsSpanningPartsAndSmallSegmentsAssembleInOrder() throws Exception {
        // 12 MiB in segments of 5.5, 1, 3 and 2.5 MiB: parts straddle small segments and copy large ones.
        int mib = 1024 * 1024;
        byte[] content = random(12 * mib);
        int[] cuts = {0, 11 * mib / 2, 13 * mib / 2, 19 * mib / 2, 12 * mib};
        String id = UUID.randomUUID().toString();
        for (int i = 0; i + 1 < cuts.length; i++) {
            append(store, id, cuts[i], Arrays.copyOfRange(content, cuts[i], cuts[i + 1]));
        }
        Digest digest = sha256(content);
        await(store.commitUpload(id, content.length, digest));
        assertEquals(Optional.of((long) content.length), await(store.size(digest)));
        assertArrayEquals(Arrays.copyOfRange(content, 5 * mib - 10, 7 * mib), read(store, digest, 5 * mib - 10, 2 * mib + 10));
        assertArrayEquals(content, read(store, digest, 0, content.length));
    }

    @Test
    void redirectModeHandsOutPresignedUrls() throws Exception {
        BlobStore redirecting = new S3BlobStore(vertx, server.bucket(bucket, true));
        byte[] content = random(20_000);
        Digest digest = upload(redirecting, content);
        BlobSource source = await(redirecting.open(digest, 100, 900));
        assertInstanceOf(BlobSource.Redirect.class, source);
        assertArrayEquals(Arrays.copyOfRange(content, 100, 1000), read(redirecting, digest, 100, 900));
        // What the bucket answers a browser sent there: bytes to save, not a page to render.
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(((BlobSource.Redirect) source).url())).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals("application/octet-stream", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("attachment", response.headers().firstValue("Content-Disposition").orElse(null));
    }

    @Test
    void outagesAreStorageUnavailableAndRetriesSucceedOnceTheStoreIsBack() throws Exception {
        byte[] content = random(10_000);
        Digest stored = upload(store, content);
        server.stop();
        try {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> await(store.size(stored)));
            assertInstanceOf(StorageUnavailableException.class, failure.getCause());
            String id = UUID.randomUUID().toString();
            ExecutionException pushFailure = assertThrows(ExecutionException.class, () -> upload(store, random(100)));
            assertInstanceOf(StorageUnavailableException.class, rootStorageFailure(pushFailure));
            assertEquals(id.length(), 36);
        } finally {
            server.start();
        }
        byte[] retried = random(3000);
        Digest digest = upload(store, retried);
        assertArrayEquals(retried, read(store, digest, 0, retried.length));
        assertArrayEquals(content, read(store, stored, 0, content.length));
    }

    private static Throwable rootStorageFailure(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof StorageUnavailableException)) {
            cause = cause.getCause();
        }
        return cause == null ? failure : cause;
    }
}
