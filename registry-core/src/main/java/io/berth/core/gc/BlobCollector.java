package io.berth.core.gc;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.StorageUnavailableException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reviews blobs whose review is due and deletes those no manifest references. Deletion has two
 * phases: in the review's transaction the blob row is locked, re-checked, marked {@code deleting}
 * and stripped of its repository links (from then on every repository answers 404 and no manifest
 * can reference it); after commit {@link BlobDeletion} removes the bytes and then the row.
 * Blocking: call from a worker thread.
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
    public boolean reviewNext(GcScope scope, GcProgress progress) {
        Reviewed reviewed = database.transaction(c -> {
            Optional<String> due = reviews.takeDue(c, scope);
            return due.isEmpty() ? null : new Reviewed(due.get(), mark(c, due.get()));
        });
        if (reviewed == null) {
            return false;
        }
        progress.blobReviewed();
        if (reviewed.marked()) {
            invalidations.apply(Invalidation.blob(reviewed.digest()));
            try {
                deletion.finish(reviewed.digest()).ifPresent(progress::blobDeleted);
            } catch (StorageUnavailableException e) {
                // The row stays marked: a later pass finishes it, and collection goes on meanwhile.
                LOG.warnf("%s is marked for deletion but its bytes could not be deleted yet: %s", reviewed.digest(), e.getMessage());
            }
        }
        return true;
    }

    /** Finishes deletions whose worker stopped between the two phases (or whose storage deletion failed). */
    public void finishAbandoned(GcProgress progress, int limit) {
        deletion.finishAbandoned(limit).forEach(progress::blobDeleted);
    }

    /**
     * The first phase, on a review row the transaction holds: true when the blob was marked for
     * deletion. A blob that is referenced, gone, or already being deleted just loses its review.
     */
    public boolean mark(Connection c, String digest) throws SQLException {
        reviews.forget(c, digest);
        try (PreparedStatement lock = c.prepareStatement("SELECT state FROM blobs WHERE digest = ? FOR UPDATE")) {
            lock.setString(1, digest);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !"present".equals(rs.getString(1))) {
                    return false;
                }
            }
        }
        if (referenced(c, digest)) {
            return false;
        }
        Statements.update(c, "UPDATE blobs SET state = 'deleting' WHERE digest = ?", digest);
        Statements.update(c, "DELETE FROM repository_blobs WHERE digest = ?", digest);
        invalidations.publish(c, List.of(Invalidation.blob(digest)));
        return true;
    }

    private static boolean referenced(Connection c, String digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM manifest_blobs WHERE digest = ? LIMIT 1")) {
            select.setString(1, digest);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }
}
