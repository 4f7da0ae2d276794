package io.berth.core.protocol.blob;

import io.berth.core.cache.BlobLinkCache;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.BlobRecords;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.RepositoryRecords;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Which blobs a repository may serve, mounting from another repository, and unlinking. A blob is
 * served from a repository only while that repository links it. Blocking: call from a worker thread.
 */
@Singleton
public class BlobService {
    private final Database database;
    private final RepositoryRecords repositories;
    private final BlobRecords blobs;
    private final BlobLinkCache cache;
    private final CacheInvalidations invalidations;

    @Inject
    public BlobService(Database database, RepositoryRecords repositories, BlobRecords blobs, BlobLinkCache cache,
            CacheInvalidations invalidations) {
        this.database = database;
        this.repositories = repositories;
        this.blobs = blobs;
        this.cache = cache;
        this.invalidations = invalidations;
    }

    /** The cached size of a linked blob, or null: lets the HTTP layer answer without leaving the event loop. */
    public Long cachedSize(RepositoryName name, Digest digest) {
        return cache.size(name, digest);
    }

    /** The size of a blob the repository links; {@code BLOB_UNKNOWN} otherwise. */
    public long linkedSize(RepositoryName name, Digest digest) {
        return cache.size(name, digest, () -> database.read(c -> {
            Optional<Long> repositoryId = repositories.findId(c, name);
            if (repositoryId.isEmpty()) {
                throw unknown(digest);
            }
            return blobs.linkedSize(c, repositoryId.get(), digest).orElseThrow(() -> unknown(digest));
        }));
    }

    /**
     * Links a blob of {@code source} into {@code target} without moving bytes. With no source
     * (the spec's automatic mount) any repository holding the blob will do. False when the blob is not
     * found there: the client then uploads it instead.
     */
    public boolean mount(RepositoryName target, Digest digest, RepositoryName source) {
        return database.transaction(c -> {
            if (source == null) {
                if (!blobs.linkedAnywhere(c, digest)) {
                    return false;
                }
            } else {
                Optional<Long> sourceId = repositories.findId(c, source);
                if (sourceId.isEmpty() || blobs.linkedSize(c, sourceId.get(), digest).isEmpty()) {
                    return false;
                }
            }
            blobs.link(c, repositories.ensure(c, target), digest);
            return true;
        });
    }

    /** Removes the blob from the repository; its bytes stay until garbage collection finds them unused. */
    public void unlink(RepositoryName name, Digest digest) {
        Invalidation stale = Invalidation.blobLink(name.value(), digest.toString());
        database.transaction(c -> {
            Optional<Long> repositoryId = repositories.findId(c, name);
            if (repositoryId.isEmpty() || !blobs.unlink(c, repositoryId.get(), digest)) {
                throw unknown(digest);
            }
            invalidations.publish(c, List.of(stale));
            return null;
        });
        invalidations.apply(stale);
    }

    private static RegistryException unknown(Digest digest) {
        return new RegistryException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " not found");
    }
}
