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
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which blobs a repository may serve, mounting from another repository, and unlinking. A blob is
 * served from a repository only while that repository links it.
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

    /** The cached size of a linked blob, or null: lets the HTTP layer answer without a database round trip. */
    public Long cachedSize(RepositoryName name, Digest digest) {
        return cache.size(name, digest);
    }

    /**
     * The size of a blob the repository links; {@code BLOB_UNKNOWN} otherwise. A client that finds a
     * blob waiting for garbage collection is about to reference it, so its collection is postponed
     * first (waiting for a collection that holds it, after which it is gone); such blobs are not
     * cached, so that every HEAD of one does this (or joins a load that is doing it).
     */
    public Future<Long> linkedSize(RepositoryName name, Digest digest) {
        return cache.size(name, digest, () -> database.read(c -> repositories.findId(c, name).compose(repositoryId -> {
            long id = repositoryId.orElseThrow(() -> unknown(digest));
            // Both are sent at once, the link first as before: one round trip.
            Future<OptionalLong> size = blobs.linkedSize(c, id, digest);
            Future<Boolean> candidate = reviews.candidate(c, digest);
            return Future.all(size, candidate).map(both -> new BlobLinkCache.Linked(
                    size.result().orElseThrow(() -> unknown(digest)), !candidate.result()));
        })).compose(found -> {
            if (found.cacheable()) {
                return Future.succeededFuture(found);
            }
            // The postponement waits while a collection holds the review; the link is then read afresh.
            return database.transaction(c -> {
                Future<Void> touched = reviews.touch(c, digest);
                Future<Optional<Long>> repositoryId = repositories.findId(c, name);
                return Future.all(touched, repositoryId)
                        .compose(both -> blobs.linkedSize(c, repositoryId.result().orElseThrow(() -> unknown(digest)), digest))
                        .map(size -> new BlobLinkCache.Linked(size.orElseThrow(() -> unknown(digest)), false));
            });
        }));
    }

    /**
     * Links a blob of {@code source} into {@code target} without moving bytes. With no source
     * (the spec's automatic mount) any repository holding the blob will do. False when the blob is not
     * found there, or is being collected: the client then uploads it instead. A mounted blob is one a
     * client relies on, so it is safe from collection for the safety window.
     */
    public Future<Boolean> mount(RepositoryName target, Digest digest, RepositoryName source) {
        return database.transaction(c -> {
            Future<Boolean> found = source == null
                    ? blobs.linkedAnywhere(c, digest)
                    : repositories.findId(c, source).compose(sourceId -> sourceId.isEmpty() ? Future.succeededFuture(false)
                            : blobs.linkedSize(c, sourceId.get(), digest).map(OptionalLong::isPresent));
            return found.compose(linked -> !linked ? Future.succeededFuture(false)
                    : repositories.ensure(c, target).compose(targetId -> reviews.use(c, digest, targetId)
                            .compose(used -> blobs.lockPresent(c, digest))
                            .compose(present -> !present ? Future.succeededFuture(false)
                                    : blobs.link(c, targetId, digest).map(true))));
        });
    }

    /** Removes the blob from the repository; its bytes stay until garbage collection finds them unused. */
    public Future<Void> unlink(RepositoryName name, Digest digest) {
        Invalidation stale = Invalidation.blobLink(name.value(), digest.toString());
        return database.transaction(c -> repositories.findId(c, name).compose(repositoryId -> {
            if (repositoryId.isEmpty()) {
                return Future.failedFuture(unknown(digest));
            }
            // Queued while the link still says when the blob came to the repository.
            return reviews.enqueueUnlinked(c, digest, repositoryId.get()).compose(released -> {
                // The announcement goes out only if the unlink commits: sent with it, in one round trip.
                Future<Boolean> unlinked = blobs.unlink(c, repositoryId.get(), digest);
                Future<Void> published = invalidations.publish(c, List.of(stale));
                return Future.all(unlinked, published).compose(both -> unlinked.result()
                        ? Future.succeededFuture(released) : Future.failedFuture(unknown(digest)));
            });
        })).map(candidates -> {
            invalidations.apply(stale);
            invalidations.apply(candidates);
            return null;
        });
    }

    private static RegistryException unknown(Digest digest) {
        return new RegistryException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " not found");
    }
}
