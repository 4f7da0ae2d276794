package io.berth.core.gc;

import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
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

    public Future<Void> enqueue(SqlConnection c, long manifestId, String reason) {
        return Statements.update(c, "INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                + " VALUES ($1, now() + $2 * interval '1 millisecond', $3)" + UPSERT_TAIL,
                manifestId, settings.reviewDelay().toMillis(), reason).mapEmpty();
    }

    /** Queues the manifests of a repository with these digests (those that exist). */
    public Future<Void> enqueueDigests(SqlConnection c, long repositoryId, Collection<String> digests, String reason) {
        if (digests.isEmpty()) {
            return Future.succeededFuture();
        }
        return c.preparedQuery("INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                        + " SELECT id, now() + $1 * interval '1 millisecond', $2::text FROM manifests"
                        + " WHERE repository_id = $3 AND digest = ANY ($4::text[])" + UPSERT_TAIL)
                .execute(Tuple.tuple().addLong(settings.reviewDelay().toMillis()).addString(reason).addLong(repositoryId)
                        .addArrayOfString(digests.toArray(String[]::new)))
                .mapEmpty();
    }

    /**
     * Queues what depended on a manifest about to be deleted: the children it lists, its subject, and
     * the referrers naming it as theirs.
     */
    public Future<Void> enqueueRelatedTo(SqlConnection c, long manifestId, long repositoryId) {
        return Statements.update(c, "INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                + " SELECT m.id, now() + $1 * interval '1 millisecond', 'referencing manifest deleted' FROM manifests m, manifests gone"
                + " WHERE gone.id = $2 AND m.repository_id = $3 AND m.id <> gone.id AND (m.digest = gone.subject_digest"
                + " OR m.subject_digest = gone.digest"
                + " OR m.digest IN (SELECT child_digest FROM manifest_children WHERE manifest_id = gone.id))" + UPSERT_TAIL,
                settings.reviewDelay().toMillis(), manifestId, repositoryId).mapEmpty();
    }

    /** Drops the manifest's review: a tag points at it again, an index lists it, or it was reviewed. */
    public Future<Void> forget(SqlConnection c, long manifestId) {
        return Statements.update(c, "DELETE FROM gc_manifest_reviews WHERE manifest_id = $1", manifestId).mapEmpty();
    }

    /** A due review of the scope, its row locked; rows other workers hold are skipped. */
    public Future<Optional<Long>> takeDue(SqlConnection c, GcScope scope) {
        return c.preparedQuery("SELECT r.manifest_id FROM gc_manifest_reviews r"
                        + (scope.registryWide() ? ""
                                : " JOIN manifests m ON m.id = r.manifest_id JOIN repositories rp ON rp.id = m.repository_id")
                        + " WHERE r.review_after <= now()" + (scope.registryWide() ? "" : " AND rp.namespace_id = $1")
                        + " ORDER BY r.review_after LIMIT 1 FOR UPDATE OF r SKIP LOCKED")
                .execute(scope.registryWide() ? Tuple.tuple() : Tuple.of(scope.namespaceId()))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getLong(0)) : Optional.empty());
    }

    /** Sets the manifest's review to when its safety window ends (queuing it when it was not). */
    public Future<Void> postpone(SqlConnection c, long manifestId, Instant until) {
        return Statements.update(c, "INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)"
                + " VALUES ($1, $2, 'pushed recently') ON CONFLICT (manifest_id) DO UPDATE SET review_after = EXCLUDED.review_after",
                manifestId, until.atOffset(ZoneOffset.UTC)).mapEmpty();
    }
}
