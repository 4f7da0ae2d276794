package io.berth.core.gc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * The review queue of manifests that may be untagged and referenced by nothing: pushed without a
 * tag, a tag moved away or deleted, the index that listed them or the subject they describe
 * deleted. Rows are written in the transaction of the change; a manifest tagged or referenced
 * again by the time of its review simply loses its row.
 */
@Singleton
public class ManifestReviews {
    private static final String UPSERT_TAIL = " ON CONFLICT (manifest_id) DO UPDATE SET"
            + " review_after = GREATEST(gc_manifest_reviews.review_after, EXCLUDED.review_after), reason = EXCLUDED.reason";

    private final GcSettings settings;

    @Inject
    public ManifestReviews(GcSettings settings) {
        this.settings = settings;
    }

    public void enqueue(Connection c, long manifestId, String reason) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                + " VALUES (?, now() + ? * interval '1 millisecond', ?)" + UPSERT_TAIL)) {
            insert.setLong(1, manifestId);
            insert.setLong(2, settings.reviewDelay().toMillis());
            insert.setString(3, reason);
            insert.executeUpdate();
        }
    }

    /** Queues the manifests of a repository with these digests (those that exist). */
    public void enqueueDigests(Connection c, long repositoryId, Collection<String> digests, String reason) throws SQLException {
        if (digests.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                + " SELECT id, now() + ? * interval '1 millisecond', ? FROM manifests"
                + " WHERE repository_id = ? AND digest = ANY (?)" + UPSERT_TAIL)) {
            insert.setLong(1, settings.reviewDelay().toMillis());
            insert.setString(2, reason);
            insert.setLong(3, repositoryId);
            insert.setArray(4, c.createArrayOf("text", digests.toArray()));
            insert.executeUpdate();
        }
    }

    /**
     * Queues what depended on a manifest about to be deleted: the children it lists, its subject, and
     * the referrers naming it as theirs.
     */
    public void enqueueRelatedTo(Connection c, long manifestId, long repositoryId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                + " SELECT m.id, now() + ? * interval '1 millisecond', 'referencing manifest deleted' FROM manifests m, manifests gone"
                + " WHERE gone.id = ? AND m.repository_id = ? AND m.id <> gone.id AND (m.digest = gone.subject_digest"
                + " OR m.subject_digest = gone.digest"
                + " OR m.digest IN (SELECT child_digest FROM manifest_children WHERE manifest_id = gone.id))" + UPSERT_TAIL)) {
            insert.setLong(1, settings.reviewDelay().toMillis());
            insert.setLong(2, manifestId);
            insert.setLong(3, repositoryId);
            insert.executeUpdate();
        }
    }

    /** Drops the manifest's review: a tag points at it again, an index lists it, or it was reviewed. */
    public void forget(Connection c, long manifestId) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM gc_manifest_reviews WHERE manifest_id = ?")) {
            delete.setLong(1, manifestId);
            delete.executeUpdate();
        }
    }

    /** A due review of the scope, its row locked; rows other workers hold are skipped. */
    public Optional<Long> takeDue(Connection c, GcScope scope) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT r.manifest_id FROM gc_manifest_reviews r"
                + (scope.registryWide() ? "" : " JOIN manifests m ON m.id = r.manifest_id JOIN repositories rp ON rp.id = m.repository_id")
                + " WHERE r.review_after <= now()" + (scope.registryWide() ? "" : " AND rp.namespace_id = ?")
                + " ORDER BY r.review_after LIMIT 1 FOR UPDATE OF r SKIP LOCKED")) {
            if (!scope.registryWide()) {
                select.setLong(1, scope.namespaceId());
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Sets the manifest's review to when its safety window ends (queuing it when it was not). */
    public void postpone(Connection c, long manifestId, Instant until) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                + " VALUES (?, ?, 'pushed recently') ON CONFLICT (manifest_id) DO UPDATE SET review_after = EXCLUDED.review_after")) {
            upsert.setLong(1, manifestId);
            upsert.setTimestamp(2, Timestamp.from(until));
            upsert.executeUpdate();
        }
    }
}
