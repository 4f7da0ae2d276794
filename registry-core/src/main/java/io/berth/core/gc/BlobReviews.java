package io.berth.core.gc;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.Digest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The review queue of blobs that may be referenced by no manifest. Rows are written inside the
 * transaction of whatever released the blob, so a release is never lost; a blob that turns out to
 * be referenced when reviewed simply loses its row.
 *
 * <p>Lock order, everywhere: the review row first, then the blob row. Collection, uploads, mounts
 * and manifest pushes all follow it, so they serialise instead of deadlocking.
 */
@Singleton
public class BlobReviews {
    private static final String UPSERT_TAIL = " ON CONFLICT (digest) DO UPDATE SET"
            + " review_after = GREATEST(gc_blob_reviews.review_after, EXCLUDED.review_after),"
            + " used_at = GREATEST(gc_blob_reviews.used_at, EXCLUDED.used_at),"
            + " reason = EXCLUDED.reason, namespace_id = COALESCE(EXCLUDED.namespace_id, gc_blob_reviews.namespace_id)";

    /** The namespace of the repository bound at this parameter. */
    private static final String NAMESPACE_OF = "(SELECT namespace_id FROM repositories WHERE id = ?)";

    private final GcSettings settings;
    private final CacheInvalidations invalidations;

    @Inject
    public BlobReviews(GcSettings settings, CacheInvalidations invalidations) {
        this.settings = settings;
        this.invalidations = invalidations;
    }

    /**
     * Queues blobs released by a change in a repository (null when in none). Caches drop their
     * links on every node, so that the next HEAD of a candidate reaches the database and
     * {@link #touch postpones} its review. Answers the invalidations to apply here after commit.
     */
    public List<Invalidation> enqueue(Connection c, Collection<String> digests, String reason, Long repositoryId)
            throws SQLException {
        if (digests.isEmpty()) {
            return List.of();
        }
        return release(c, "SELECT d, NULL::timestamptz FROM unnest(?::text[]) d", reason, repositoryId,
                c.createArrayOf("text", digests.toArray()));
    }

    /**
     * Queues a blob unlinked from a repository, before its link goes: the link's creation (its upload
     * or mount there) counts as its last use.
     */
    public List<Invalidation> enqueueUnlinked(Connection c, Digest digest, long repositoryId) throws SQLException {
        return release(c, "SELECT ?::text, (SELECT created_at FROM repository_blobs WHERE repository_id = ? AND digest = ?)",
                "unlinked", repositoryId, digest.toString(), repositoryId, digest.toString());
    }

    /**
     * Queues every blob a manifest references, before the manifest goes. The manifest's last push
     * (by digest, or under any of its tags) counts as the last use of its blobs: the client that
     * pushed it uploaded or found each of them just before, so the safety window holds for them even
     * though the push itself took their reviews out of the queue.
     */
    public List<Invalidation> enqueueOfManifest(Connection c, long manifestId, String reason, long repositoryId)
            throws SQLException {
        return release(c, "SELECT mb.digest, (SELECT GREATEST(m.pushed_at, (SELECT max(t.updated_at) FROM tags t"
                        + " WHERE t.manifest_id = m.id)) FROM manifests m WHERE m.id = mb.manifest_id)"
                        + " FROM manifest_blobs mb WHERE mb.manifest_id = ?",
                reason, repositoryId, manifestId);
    }

    /**
     * Queues every blob a repository links or its manifests reference, before the repository goes.
     * The repository's last push (an upload or mount, a manifest or a tag) counts as their last use.
     */
    public List<Invalidation> enqueueOfRepository(Connection c, long repositoryId) throws SQLException {
        return release(c, "WITH released AS (SELECT digest FROM repository_blobs WHERE repository_id = ?"
                        + " UNION SELECT mb.digest FROM manifest_blobs mb JOIN manifests m ON m.id = mb.manifest_id"
                        + " WHERE m.repository_id = ?),"
                        + " last_push AS (SELECT GREATEST((SELECT max(created_at) FROM repository_blobs WHERE repository_id = ?),"
                        + " (SELECT max(pushed_at) FROM manifests WHERE repository_id = ?),"
                        + " (SELECT max(updated_at) FROM tags WHERE repository_id = ?)) AS at)"
                        + " SELECT r.digest, l.at FROM released r, last_push l",
                "repository deleted", repositoryId, repositoryId, repositoryId, repositoryId, repositoryId, repositoryId);
    }

    /**
     * Writes a review for each {@code (digest, last use)} row that {@code released} selects (bound
     * from {@code parameters}, after the repository). A review already queued keeps the later of the two
     * due times and of the two uses.
     */
    private List<Invalidation> release(Connection c, String released, String reason, Long repositoryId, Object... parameters)
            throws SQLException {
        List<Invalidation> stale = new ArrayList<>();
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO gc_blob_reviews (digest, review_after, used_at, reason, namespace_id)"
                        + " SELECT x.digest, now() + ? * interval '1 millisecond', x.used_at, ?, " + NAMESPACE_OF
                        + " FROM (" + released + ") AS x (digest, used_at)" + UPSERT_TAIL + " RETURNING digest")) {
            int index = 1;
            insert.setLong(index++, settings.reviewDelay().toMillis());
            insert.setString(index++, reason);
            insert.setObject(index++, repositoryId);
            for (Object parameter : parameters) {
                insert.setObject(index++, parameter);
            }
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    stale.add(Invalidation.blob(rs.getString(1)));
                }
            }
        }
        invalidations.publish(c, stale);
        return stale;
    }

    /**
     * Records that a client relies on the blob now (an upload of it is about to commit, or it is
     * being mounted): whatever its review said, it is not deleted within the safety window. Writes the
     * row even when there is none, so a release that comes later cannot make it due at once. Waits
     * while a collection holds the row, so afterwards the blob is either safe or already deleting.
     */
    public void use(Connection c, Digest digest, long repositoryId) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO gc_blob_reviews (digest, review_after, used_at, reason, namespace_id)"
                        + " VALUES (?, now() + ? * interval '1 millisecond', now(), 'uploaded', " + NAMESPACE_OF + ")"
                        + " ON CONFLICT (digest) DO UPDATE SET used_at = now(),"
                        + " review_after = GREATEST(gc_blob_reviews.review_after, EXCLUDED.review_after)")) {
            upsert.setString(1, digest.toString());
            upsert.setLong(2, Math.max(settings.reviewDelay().toMillis(), settings.safetyWindow().toMillis()));
            upsert.setLong(3, repositoryId);
            upsert.executeUpdate();
        }
    }

    /**
     * The HEAD guard: a client that found a candidate blob is about to reference it, so its review
     * moves past the safety window. Touches no row for a blob that is not a candidate, and at most
     * one write a minute for one that is.
     */
    public void touch(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE gc_blob_reviews SET used_at = now(),"
                        + " review_after = GREATEST(review_after, now() + ? * interval '1 millisecond')"
                        + " WHERE digest = ? AND (used_at IS NULL OR used_at < now() - interval '1 minute')")) {
            update.setLong(1, settings.safetyWindow().toMillis());
            update.setString(2, digest.toString());
            update.executeUpdate();
        }
    }

    /** Whether the blob waits for review (so caches must not answer for it). */
    public boolean candidate(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM gc_blob_reviews WHERE digest = ?")) {
            select.setString(1, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A due review of the scope, its row locked; rows other workers hold are skipped. */
    public Optional<String> takeDue(Connection c, GcScope scope) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT r.digest FROM gc_blob_reviews r"
                + " WHERE r.review_after <= now()"
                + " AND (r.used_at IS NULL OR r.used_at <= now() - ? * interval '1 millisecond')" + inScope(scope)
                + " ORDER BY r.review_after LIMIT 1 FOR UPDATE OF r SKIP LOCKED")) {
            select.setLong(1, settings.safetyWindow().toMillis());
            bindScope(select, 2, scope);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Makes the scope's reviews due now, except for blobs a client relied on within the safety window,
     * which become due when it ends. Answers how many reviews moved.
     */
    public int expedite(Connection c, GcScope scope) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE gc_blob_reviews r SET review_after ="
                + " GREATEST(now(), COALESCE(r.used_at + ? * interval '1 millisecond', now()))"
                + " WHERE r.review_after > now()" + inScope(scope))) {
            update.setLong(1, settings.safetyWindow().toMillis());
            bindScope(update, 2, scope);
            return update.executeUpdate();
        }
    }

    /** Drops the blob's review: it was reviewed. */
    public void forget(Connection c, String digest) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM gc_blob_reviews WHERE digest = ?")) {
            delete.setString(1, digest);
            delete.executeUpdate();
        }
    }

    /** The condition on review rows {@code r} of a namespace: last released there, or linked by one of its repositories. */
    static String inScope(GcScope scope) {
        return scope.registryWide() ? "" : " AND (r.namespace_id = ? OR EXISTS (SELECT 1 FROM repository_blobs rb"
                + " JOIN repositories rp ON rp.id = rb.repository_id WHERE rb.digest = r.digest AND rp.namespace_id = ?))";
    }

    static void bindScope(PreparedStatement statement, int index, GcScope scope) throws SQLException {
        if (!scope.registryWide()) {
            statement.setLong(index, scope.namespaceId());
            statement.setLong(index + 1, scope.namespaceId());
        }
    }
}
