package io.berth.api.storage;

import io.berth.api.config.BerthConfig;
import io.berth.core.storage.BlobStore;
import io.berth.storage.fs.FsBlobStore;
import io.berth.storage.s3.S3BlobStore;
import io.berth.storage.s3.S3Settings;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Chooses the blob store from {@code berth.storage.type}. */
public class BlobStoreProducer {

    @Produces
    @Singleton
    BlobStore blobStore(BerthConfig config, Vertx vertx) {
        return switch (config.storage().type()) {
            case "fs" -> {
                Path root = config.storage().fs().root().map(Path::of)
                        .orElseGet(() -> Path.of(config.dataDir()).resolve("blobs"));
                yield new FsBlobStore(vertx, root, config.storage().fs().fsync());
            }
            case "s3" -> new S3BlobStore(vertx, s3Settings(config.storage().s3()));
            default -> throw new IllegalArgumentException(
                    "berth.storage.type=" + config.storage().type() + " is not a storage type; use fs or s3");
        };
    }

    private static S3Settings s3Settings(BerthConfig.Storage.S3 s3) {
        String bucket = s3.bucket().orElseThrow(() -> new IllegalArgumentException(
                "berth.storage.type=s3 needs berth.storage.s3.bucket"));
        return new S3Settings(bucket, s3.region(), s3.endpoint(), s3.pathStyleAccess(), s3.prefix().orElse(""), s3.accessKeyId(),
                s3.secretAccessKey(), s3.redirect(), s3.redirectTtl(), (int) s3.partSize().asLongValue());
    }
}
