package io.berth.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.domain.Digest;
import io.berth.core.storage.BlobSource;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.BlobStoreContract;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void committedUploadsLeaveNoTemporaryFiles() throws Exception {
        upload(store, random(1000));
        try (var leftovers = Files.list(root.resolve("uploads"))) {
            assertEquals(0, leftovers.count());
        }
    }
}
