package io.berth.storage.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.domain.Digest;
import io.berth.core.storage.BlobSource;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.BlobStoreContract;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem store passes the whole contract, plus what is particular to files. */
class FsBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore createStore(Vertx vertx) {
        return new FsBlobStore(vertx, root, true);
    }

    @Override
    protected BlobStore sameStorage(Vertx vertx) {
        return new FsBlobStore(vertx, root, false);
    }

    @Test
    void blobsAreContentAddressedFilesServedAsRegions() throws Exception {
        Digest digest = upload(store, random(1000));
        Path expected = root.resolve("blobs/sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        assertTrue(Files.isRegularFile(expected));
        BlobSource source = await(store.open(digest, 10, 20));
        assertEquals(new BlobSource.FileRegion(expected, 10, 20), source);
    }

    @Test
    void uploadsFlushedWhileTheyAreWrittenCommitWhole() throws Exception {
        // A flush every 64 KiB: flushes run alongside the writes, and the last may still run at the end.
        BlobStore flushing = new FsBlobStore(vertx, root, true, 64 * 1024);
        byte[] content = random(40 * 16 * 1024);
        String id = UUID.randomUUID().toString();
        // The writer belongs to the event loop that writes to it, as on the upload path.
        Promise<Void> written = Promise.promise();
        vertx.getOrCreateContext().runOnContext(ignored -> flushing.appendToUpload(id, 0).compose(writer -> {
            List<Future<Void>> writes = new ArrayList<>();
            for (int offset = 0; offset < content.length; offset += 16 * 1024) {
                writes.add(writer.write(Buffer.buffer(Arrays.copyOfRange(content, offset, offset + 16 * 1024))));
            }
            return writer.end().compose(ended -> Future.all(writes)).<Void>mapEmpty();
        }).onComplete(written));
        await(written.future());
        Digest digest = sha256(content);
        await(flushing.commitUpload(id, content.length, digest));
        assertArrayEquals(content, read(flushing, digest, 0, content.length));
    }

    @Test
    void committedUploadsLeaveNoTemporaryFiles() throws Exception {
        upload(store, random(1000));
        try (var leftovers = Files.list(root.resolve("uploads"))) {
            assertEquals(0, leftovers.count());
        }
    }
}
