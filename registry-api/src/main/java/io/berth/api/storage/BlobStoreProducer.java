package io.berth.api.storage;

import io.berth.api.config.BerthConfig;
import io.berth.core.storage.BlobStore;
import io.berth.storage.fs.FsBlobStore;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Chooses the blob store from {@code berth.storage.type}. */
public class BlobStoreProducer {

    @Produces
    @Singleton
    BlobStore blobStore(BerthConfig config, Vertx vertx) {
        String type = config.storage().type();
        if (!"fs".equals(type)) {
            throw new IllegalArgumentException("berth.storage.type=" + type + " is not available; use fs");
        }
        Path root = config.storage().fs().root().map(Path::of)
                .orElseGet(() -> Path.of(config.dataDir()).resolve("blobs"));
        return new FsBlobStore(vertx, root, config.storage().fs().fsync());
    }
}
