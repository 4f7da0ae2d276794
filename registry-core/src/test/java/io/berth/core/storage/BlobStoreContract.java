package io.berth.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do. Each storage module extends this class and runs all of it
 * against a real backend.
 */
public abstract class BlobStoreContract {
    protected Vertx vertx;
    protected BlobStore store;

    /** A store over fresh, empty storage. */
    protected abstract BlobStore createStore(Vertx vertx) throws Exception;

    /** Another store instance over the same storage, as a second registry node would have. */
    protected abstract BlobStore sameStorage(Vertx vertx) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        vertx = Vertx.vertx();
        store = createStore(vertx);
    }

    @AfterEach
    void closeVertx() throws Exception {
        await(vertx.close());
    }

    @Test
    void uploadCommitAndReadBack() throws Exception {
        byte[] content = random(100_000);
        Digest digest = upload(store, content);
        assertEquals(Optional.of((long) content.length), await(store.size(digest)));
        assertArrayEquals(content, read(store, digest, 0, content.length));
    }

    @Test
    void chunkedAppendsAtOffsets() throws Exception {
        byte[] content = random(30_000);
        String id = UUID.randomUUID().toString();
        append(store, id, 0, Arrays.copyOfRange(content, 0, 10_000));
        append(store, id, 10_000, Arrays.copyOfRange(content, 10_000, 25_000));
        append(store, id, 25_000, Arrays.copyOfRange(content, 25_000, 30_000));
        Digest digest = sha256(content);
        await(store.commitUpload(id, content.length, digest));
        assertArrayEquals(content, read(store, digest, 0, content.length));
    }

    @Test
    void appendingAtAnOffsetDiscardsBytesOfAnInterruptedChunk() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] first = random(1000);
        append(store, id, 0, first);
        append(store, id, 1000, random(500)); // written but never acknowledged
        byte[] second = random(700);
        append(store, id, 1000, second);
        byte[] expected = concat(first, second);
        Digest digest = sha256(expected);
        await(store.commitUpload(id, expected.length, digest));
        assertArrayEquals(expected, read(store, digest, 0, expected.length));
    }

    @Test
    void anotherInstanceContinuesAnUpload() throws Exception {
        BlobStore other = sameStorage(vertx);
        String id = UUID.randomUUID().toString();
        byte[] first = random(4000);
        byte[] second = random(3000);
        append(store, id, 0, first);
        append(other, id, first.length, second);
        byte[] expected = concat(first, second);
        assertArrayEquals(expected, copyUpload(other, id, expected.length));
        Digest digest = sha256(expected);
        await(other.commitUpload(id, expected.length, digest));
        assertArrayEquals(expected, read(store, digest, 0, expected.length));
    }

    @Test
    void copyUploadStreamsTheDataReceivedSoFar() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] content = random(70_000);
        append(store, id, 0, content);
        assertArrayEquals(Arrays.copyOf(content, 50_000), copyUpload(store, id, 50_000));
    }

    @Test
    void abortRemovesTheUploadAndIsIdempotent() throws Exception {
        String id = UUID.randomUUID().toString();
        append(store, id, 0, random(100));
        await(store.abortUpload(id));
        await(store.abortUpload(id));
        assertThrows(ExecutionException.class, () -> await(store.appendToUpload(id, 100)));
    }

    @Test
    void rangedReads() throws Exception {
        byte[] content = random(10_000);
        Digest digest = upload(store, content);
        assertArrayEquals(Arrays.copyOfRange(content, 1234, 5678), read(store, digest, 1234, 5678 - 1234));
        assertArrayEquals(Arrays.copyOfRange(content, 9_999, 10_000), read(store, digest, 9_999, 1));
    }

    @Test
    void smallBlobsAreReadWholeWithinALimit() throws Exception {
        byte[] content = random(3_000);
        Digest digest = upload(store, content);
        assertArrayEquals(content, await(store.read(digest, 3_000)).getBytes());
        ExecutionException tooLarge = assertThrows(ExecutionException.class, () -> await(store.read(digest, 2_999)));
        assertInstanceOf(IllegalArgumentException.class, tooLarge.getCause());
        ExecutionException missing = assertThrows(ExecutionException.class, () -> await(store.read(sha256(random(10)), 100)));
        assertInstanceOf(BlobMissingException.class, missing.getCause());
    }

    @Test
    void missingBlobsHaveNoSizeAndCannotBeOpened() throws Exception {
        Digest absent = sha256(random(10));
        assertEquals(Optional.empty(), await(store.size(absent)));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(store.open(absent, 0, 1)));
        assertInstanceOf(BlobMissingException.class, failure.getCause());
    }

    @Test
    void deleteIsIdempotent() throws Exception {
        Digest digest = upload(store, random(500));
        await(store.delete(digest));
        await(store.delete(digest));
        assertEquals(Optional.empty(), await(store.size(digest)));
    }

    @Test
    void committingExistingContentKeepsOneCopyAndDropsTheUpload() throws Exception {
        byte[] content = random(2000);
        Digest digest = upload(store, content);
        String id = UUID.randomUUID().toString();
        append(store, id, 0, content);
        await(store.commitUpload(id, content.length, digest));
        assertArrayEquals(content, read(store, digest, 0, content.length));
        assertThrows(ExecutionException.class, () -> await(store.appendToUpload(id, content.length)));
    }

    @Test
    void anUploadThatNeverReceivedDataCommitsAsTheEmptyBlob() throws Exception {
        Digest empty = sha256(new byte[0]);
        String id = UUID.randomUUID().toString();
        await(store.commitUpload(id, 0, empty));
        assertEquals(Optional.of(0L), await(store.size(empty)));
        assertEquals(0, await(store.read(empty, 100)).length());
        assertTrue(await(store.list(null, 100)).stream().anyMatch(blob -> blob.digest().equals(empty) && blob.size() == 0));
    }

    @Test
    void anEmptyUploadAndAnEmptyPutStoreTheEmptyBlob() throws Exception {
        Digest empty = sha256(new byte[0]);
        assertEquals(empty, upload(store, new byte[0]));
        assertEquals(Optional.of(0L), await(store.size(empty)));
        await(store.delete(empty));
        await(store.put(empty, Buffer.buffer()));
        assertEquals(Optional.of(0L), await(store.size(empty)));
    }

    @Test
    void aCommitTakesOnlyTheAcknowledgedBytes() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] acknowledged = random(1000);
        append(store, id, 0, acknowledged);
        append(store, id, 1000, random(500)); // an interrupted chunk, never acknowledged
        Digest digest = sha256(acknowledged);
        await(store.commitUpload(id, acknowledged.length, digest));
        assertEquals(Optional.of((long) acknowledged.length), await(store.size(digest)));
        assertArrayEquals(acknowledged, read(store, digest, 0, acknowledged.length));
    }

    @Test
    void concurrentCommitsOfTheSameContentBothSucceed() throws Exception {
        byte[] content = random(50_000);
        Digest digest = sha256(content);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = UUID.randomUUID().toString();
            append(store, id, 0, content);
            ids.add(id);
        }
        List<Future<Void>> commits = ids.stream().map(id -> store.commitUpload(id, content.length, digest)).toList();
        for (Future<Void> commit : commits) {
            await(commit);
        }
        assertArrayEquals(content, read(store, digest, 0, content.length));
    }

    @Test
    void largeObjectsStreamInChunks() throws Exception {
        int chunk = 1 << 20;
        int chunks = 64;
        byte[] block = random(chunk);
        String id = UUID.randomUUID().toString();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        UploadWriter writer = await(store.appendToUpload(id, 0));
        for (int i = 0; i < chunks; i++) {
            Buffer buffer = Buffer.buffer(block);
            sha.update(block);
            await(writer.write(buffer));
        }
        await(writer.end());
        Digest digest = new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(sha.digest()));
        await(store.commitUpload(id, (long) chunk * chunks, digest));
        assertEquals(Optional.of((long) chunk * chunks), await(store.size(digest)));
        assertArrayEquals(block, read(store, digest, (long) chunk * 10, chunk));
    }

    @Test
    void smallBlobsArePutInOneStepAndPuttingExistingContentIsHarmless() throws Exception {
        byte[] content = random(4096);
        Digest digest = sha256(content);
        await(store.put(digest, Buffer.buffer(content)));
        await(store.put(digest, Buffer.buffer(content)));
        assertArrayEquals(content, read(store, digest, 0, content.length));
        assertEquals(Optional.of((long) content.length), await(store.size(digest)));
    }

    @Test
    void listingWalksEveryStoredBlobInDigestOrderPageByPage() throws Exception {
        java.util.TreeSet<Digest> stored = new java.util.TreeSet<>();
        for (int i = 0; i < 7; i++) {
            stored.add(upload(store, random(100 + i)));
        }
        String pending = UUID.randomUUID().toString();
        append(store, pending, 0, random(50)); // uploads in progress are not blobs
        java.time.Instant started = java.time.Instant.now().minusSeconds(60);
        List<StoredBlob> seen = new java.util.ArrayList<>();
        Digest after = null;
        for (int pages = 0; pages < 10; pages++) {
            List<StoredBlob> page = await(store.list(after, 3));
            seen.addAll(page);
            if (page.size() < 3) {
                break;
            }
            after = page.get(page.size() - 1).digest();
        }
        assertEquals(new java.util.ArrayList<>(stored), seen.stream().map(StoredBlob::digest).toList());
        for (StoredBlob blob : seen) {
            assertTrue(blob.size() >= 100 && blob.size() < 107);
            assertTrue(blob.lastModified().isAfter(started));
        }
    }

    @Test
    void uploadIdsThatAreNotUuidsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.appendToUpload("../../etc", 0));
    }

    // --- helpers -----------------------------------------------------------------------------

    protected static <T> T await(Future<T> future) throws ExecutionException, InterruptedException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("store operation timed out", e);
        }
    }

    protected Digest upload(BlobStore target, byte[] content) throws Exception {
        String id = UUID.randomUUID().toString();
        append(target, id, 0, content);
        Digest digest = sha256(content);
        await(target.commitUpload(id, content.length, digest));
        return digest;
    }

    protected static void append(BlobStore target, String id, long offset, byte[] content) throws Exception {
        UploadWriter writer = await(target.appendToUpload(id, offset));
        await(writer.write(Buffer.buffer(content)));
        await(writer.end());
    }

    protected byte[] read(BlobStore target, Digest digest, long offset, long length) throws Exception {
        BlobSource source = await(target.open(digest, offset, length));
        assertEquals(length, source.length());
        return switch (source) {
            case BlobSource.FileRegion region -> {
                try (RandomAccessFile file = new RandomAccessFile(region.file().toFile(), "r")) {
                    byte[] bytes = new byte[(int) region.length()];
                    file.seek(region.offset());
                    file.readFully(bytes);
                    yield bytes;
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            case BlobSource.Stream stream -> {
                CollectingWriteStream collector = new CollectingWriteStream();
                await(stream.stream().pipeTo(collector));
                yield collector.bytes().getBytes();
            }
            case BlobSource.Redirect redirect -> {
                // What a client does with a 307: fetch the URL itself, with its own Range.
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(redirect.url()))
                        .header("Range", "bytes=" + offset + "-" + (offset + length - 1)).build();
                var response = java.net.http.HttpClient.newHttpClient().send(request,
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertTrue(response.statusCode() == 206 || (response.statusCode() == 200 && offset == 0),
                        "redirect target answered " + response.statusCode());
                yield response.statusCode() == 200 ? Arrays.copyOf(response.body(), (int) length) : response.body();
            }
        };
    }

    protected static byte[] copyUpload(BlobStore target, String id, long length) throws Exception {
        CollectingWriteStream collector = new CollectingWriteStream();
        await(target.copyUpload(id, length, collector));
        return collector.bytes().getBytes();
    }

    protected static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    protected static Digest sha256(byte[] content) {
        return Digest.of(DigestAlgorithm.SHA256, content);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
