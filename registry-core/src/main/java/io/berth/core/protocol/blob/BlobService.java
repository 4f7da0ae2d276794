package io.berth.core.protocol.blob;

import io.berth.core.cache.BlobLinkCache;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.gc.BlobReviews;
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
    private final BlobReviews reviews;

    @Inject
    public BlobService(Database database, RepositoryRecords repositories, BlobRecords blobs, BlobLinkCache cache,
            CacheInvalidations invalidations, BlobReviews reviews) {
        this.database = database;
        this.repositories = repositories;
        this.blobs = blobs;
        this.cache = cache;
        this.invalidations = invalidations;
        this.reviews = reviews;
    }

    /** The cached size of a linked blob, or null: lets the HTTP layer answer without leaving the event loop. */
    public Long cachedSize(RepositoryName name, Digest digest) {
        return cache.size(name, digest);
    }

    /**
     * The size of a blob the repository links; {@code BLOB_UNKNOWN} otherwise. A client that finds a
     * blob waiting for garbage collection is about to reference it, so its collection is postponed
     * first (waiting for a collection that holds it, after which it is gone); such blobs are not
     * cached, so that every HEAD of one does this.
     */
    public long linkedSize(RepositoryName name, Digest digest) {
        return cache.size(name, digest, () -> {
            BlobLinkCache.Linked found = database.read(c -> {
                long repositoryId = repositories.findId(c, name).orElseThrow(() -> unknown(digest));
                long size = blobs.linkedSize(c, repositoryId, digest).orElseThrow(() -> unknown(digest));
                return new BlobLinkCache.Linked(size, !reviews.candidate(c, digest));
            });
            if (found.cacheable()) {
                return found;
            }
            // The postponement waits while a collection holds the review; the link is then read afresh.
            return database.transaction(c -> {
                reviews.touch(c, digest);
                long repositoryId = repositories.findId(c, name).orElseThrow(() -> unknown(digest));
                return new BlobLinkCache.Linked(blobs.linkedSize(c, repositoryId, digest).orElseThrow(() -> unknown(digest)), false);
            });
        });
    }

    /**
     * Links a blob of {@code source} into {@code target} without moving bytes. With no source
     * (the spec's automatic mount) any repository holding the blob will do. False when the blob is not
     * found there, or is being collected: the client then uploads it instead. A mounted blob is one a
     * client relies on, so it is safe from collection for the safety window.
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
            long targetId = repositories.ensure(c, target);
            reviews.use(c, digest, targetId);
            if (!blobs.lockPresent(c, digest)) {
                return false;
            }
            blobs.link(c, targetId, digest);
            return true;
        });
    }

    /** Removes the blob from the repository; its bytes stay until garbage collection finds them unused. */
    public void unlink(RepositoryName name, Digest digest) {
        Invalidation stale = Invalidation.blobLink(name.value(), digest.toString());
        List<Invalidation> candidates = database.transaction(c -> {
            Optional<Long> repositoryId = repositories.findId(c, name);
            if (repositoryId.isEmpty()) {
                throw unknown(digest);
            }
            // Queued while the link still says when the blob came to the repository.
            List<Invalidation> released = reviews.enqueueUnlinked(c, digest, repositoryId.get());
            if (!blobs.unlink(c, repositoryId.get(), digest)) {
                throw unknown(digest);
            }
            invalidations.publish(c, List.of(stale));
            return released;
        });
        invalidations.apply(stale);
        invalidations.apply(candidates);
    }

    private static RegistryException unknown(Digest digest) {
        return new RegistryException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " not found");
    }
}
