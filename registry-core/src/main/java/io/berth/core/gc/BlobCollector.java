package io.berth.core.gc;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reviews blobs whose review is due and deletes those no manifest references. Deletion has two
 * phases: in the review's transaction the blob row is locked, re-checked, marked {@code deleting}
 * and stripped of its repository links (from then on every repository answers 404 and no manifest
 * can reference it); after commit {@link BlobDeletion} removes the bytes and then the row.
 */
@Singleton
public class BlobCollector {
    private static final Logger LOG = Logger.getLogger(BlobCollector.class);
    private final Database database;
    private final BlobReviews reviews;
    private final BlobDeletion deletion;
    private final CacheInvalidations invalidations;

    @Inject
    public BlobCollector(Database database, BlobReviews reviews, BlobDeletion deletion, CacheInvalidations invalidations) {
        this.database = database;
        this.reviews = reviews;
        this.deletion = deletion;
        this.invalidations = invalidations;
    }

    /** A settled review: the blob, and whether its first phase of deletion committed. */
    private record Reviewed(String digest, boolean marked) {
    }

    /** Settles one due review of the scope; false when none is due. */
    public Future<Boolean> reviewNext(GcScope scope, GcProgress progress) {
        return database.<Optional<Reviewed>>transaction(c -> reviews.takeDue(c, scope).compose(due -> due.isEmpty()
                        ? Future.succeededFuture(Optional.empty())
                        : mark(c, due.get()).map(marked -> Optional.of(new Reviewed(due.get(), marked)))))
                .compose(reviewed -> {
                    if (reviewed.isEmpty()) {
                        return Future.succeededFuture(false);
                    }
                    progress.blobReviewed();
                    return reviewed.get().marked() ? secondPhase(reviewed.get().digest(), progress) : Future.succeededFuture(true);
                });
    }

    /** After the first phase committed: the bytes and then the row go. */
    private Future<Boolean> secondPhase(String digest, GcProgress progress) {
        invalidations.apply(Invalidation.blob(digest));
        return deletion.finish(digest).map(freed -> {
            freed.ifPresent(progress::blobDeleted);
            return true;
        }).recover(failure -> {
            if (!(failure instanceof StorageUnavailableException)) {
                return Future.failedFuture(failure);
            }
            // The row stays marked: a later pass finishes it, and collection goes on meanwhile.
            LOG.warnf("%s is marked for deletion but its bytes could not be deleted yet: %s", digest, failure.getMessage());
            return Future.succeededFuture(true);
        });
    }

    /** Finishes deletions whose worker stopped between the two phases (or whose storage deletion failed). */
    public Future<Void> finishAbandoned(GcProgress progress, int limit) {
        return deletion.finishAbandoned(limit).map(freed -> {
            freed.forEach(progress::blobDeleted);
            return null;
        });
    }

    /**
     * The first phase, on a review row the transaction holds: true when the blob was marked for
     * deletion. A blob that is referenced, gone, or already being deleted just loses its review.
     */
    public Future<Boolean> mark(SqlConnection c, String digest) {
        return reviews.forget(c, digest)
                .compose(forgotten -> c.preparedQuery("SELECT state FROM blobs WHERE digest = $1 FOR UPDATE").execute(Tuple.of(digest)))
                .compose(rows -> !rows.iterator().hasNext() || !"present".equals(rows.iterator().next().getString(0))
                        ? Future.succeededFuture(false)
                        : referenced(c, digest).compose(referenced -> referenced
                                ? Future.succeededFuture(false)
                                : markDeleting(c, digest)));
    }

    private Future<Boolean> markDeleting(SqlConnection c, String digest) {
        return Statements.update(c, "UPDATE blobs SET state = 'deleting' WHERE digest = $1", digest)
                .compose(marked -> Statements.update(c, "DELETE FROM repository_blobs WHERE digest = $1", digest))
                .compose(unlinked -> invalidations.publish(c, List.of(Invalidation.blob(digest))))
                .map(published -> true);
    }

    private static Future<Boolean> referenced(SqlConnection c, String digest) {
        return c.preparedQuery("SELECT 1 FROM manifest_blobs WHERE digest = $1 LIMIT 1").execute(Tuple.of(digest))
                .map(rows -> rows.iterator().hasNext());
    }
}
