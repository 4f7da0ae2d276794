package io.berth.core.gc;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.Digest;
import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
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

    /** The namespace of the repository bound as $3. */
    private static final String NAMESPACE_OF = "(SELECT namespace_id FROM repositories WHERE id = $3)";

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
    public Future<List<Invalidation>> enqueue(SqlConnection c, Collection<String> digests, String reason, Long repositoryId) {
        if (digests.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return release(c, "SELECT d, NULL::timestamptz FROM unnest($4::text[]) d", reason, repositoryId,
                Tuple.tuple().addArrayOfString(digests.toArray(String[]::new)));
    }

    /**
     * Queues a blob unlinked from a repository, before its link goes: the link's creation (its upload
     * or mount there) counts as its last use.
     */
    public Future<List<Invalidation>> enqueueUnlinked(SqlConnection c, Digest digest, long repositoryId) {
        return release(c, "SELECT $4::text, (SELECT created_at FROM repository_blobs WHERE repository_id = $3 AND digest = $4)",
                "unlinked", repositoryId, Tuple.of(digest.toString()));
    }

    /**
     * Queues every blob a manifest references, before the manifest goes. The manifest's last push
     * (by digest, or under any of its tags) counts as the last use of its blobs: the client that
     * pushed it uploaded or found each of them just before, so the safety window holds for them even
     * though the push itself took their reviews out of the queue.
     */
    public Future<List<Invalidation>> enqueueOfManifest(SqlConnection c, long manifestId, String reason, long repositoryId) {
        return release(c, "SELECT mb.digest, (SELECT GREATEST(m.pushed_at, (SELECT max(t.updated_at) FROM tags t"
                        + " WHERE t.manifest_id = m.id)) FROM manifests m WHERE m.id = mb.manifest_id)"
                        + " FROM manifest_blobs mb WHERE mb.manifest_id = $4",
                reason, repositoryId, Tuple.of(manifestId));
    }

    /**
     * Queues every blob a repository links or its manifests reference, before the repository goes.
     * The repository's last push (an upload or mount, a manifest or a tag) counts as their last use.
     */
    public Future<List<Invalidation>> enqueueOfRepository(SqlConnection c, long repositoryId) {
        return release(c, "WITH released AS (SELECT digest FROM repository_blobs WHERE repository_id = $3"
                        + " UNION SELECT mb.digest FROM manifest_blobs mb JOIN manifests m ON m.id = mb.manifest_id"
                        + " WHERE m.repository_id = $3),"
                        + " last_push AS (SELECT GREATEST((SELECT max(created_at) FROM repository_blobs WHERE repository_id = $3),"
                        + " (SELECT max(pushed_at) FROM manifests WHERE repository_id = $3),"
                        + " (SELECT max(updated_at) FROM tags WHERE repository_id = $3)) AS at)"
                        + " SELECT r.digest, l.at FROM released r, last_push l",
                "repository deleted", repositoryId, Tuple.tuple());
    }

    /**
     * Writes a review for each {@code (digest, last use)} row that {@code released} selects; it may
     * use the repository ($3) and takes its own parameters from $4 on. A review already queued keeps
     * the later of the two due times and of the two uses.
     */
    private Future<List<Invalidation>> release(SqlConnection c, String released, String reason, Long repositoryId, Tuple parameters) {
        Tuple bound = Tuple.tuple().addLong(settings.reviewDelay().toMillis()).addString(reason).addLong(repositoryId);
        for (int i = 0; i < parameters.size(); i++) {
            bound.addValue(parameters.getValue(i));
        }
        return c.preparedQuery("INSERT INTO gc_blob_reviews (digest, review_after, used_at, reason, namespace_id)"
                        + " SELECT x.digest, now() + $1 * interval '1 millisecond', x.used_at, $2::text, " + NAMESPACE_OF
                        + " FROM (" + released + ") AS x (digest, used_at)" + UPSERT_TAIL + " RETURNING digest")
                .execute(bound)
                .compose(rows -> {
                    List<Invalidation> stale = new ArrayList<>();
                    for (Row row : rows) {
                        stale.add(Invalidation.blob(row.getString(0)));
                    }
                    return invalidations.publish(c, stale).map(published -> stale);
                });
    }

    /**
     * Records that a client relies on the blob now (an upload of it is about to commit, or it is
     * being mounted): whatever its review said, it is not deleted within the safety window. Writes the
     * row even when there is none, so a release that comes later cannot make it due at once. Waits
     * while a collection holds the row, so afterwards the blob is either safe or already deleting.
     */
    public Future<Void> use(SqlConnection c, Digest digest, long repositoryId) {
        return Statements.update(c, "INSERT INTO gc_blob_reviews (digest, review_after, used_at, reason, namespace_id)"
                        + " VALUES ($1, now() + $2 * interval '1 millisecond', now(), 'uploaded', " + NAMESPACE_OF + ")"
                        + " ON CONFLICT (digest) DO UPDATE SET used_at = now(),"
                        + " review_after = GREATEST(gc_blob_reviews.review_after, EXCLUDED.review_after)",
                digest.toString(), Math.max(settings.reviewDelay().toMillis(), settings.safetyWindow().toMillis()), repositoryId)
                .mapEmpty();
    }

    /**
     * The HEAD guard: a client that found a candidate blob is about to reference it, so its review
     * moves past the safety window. Touches no row for a blob that is not a candidate, and at most
     * one write a minute for one that is.
     */
    public Future<Void> touch(SqlConnection c, Digest digest) {
        return Statements.update(c, "UPDATE gc_blob_reviews SET used_at = now(),"
                        + " review_after = GREATEST(review_after, now() + $1 * interval '1 millisecond')"
                        + " WHERE digest = $2 AND (used_at IS NULL OR used_at < now() - interval '1 minute')",
                settings.safetyWindow().toMillis(), digest.toString())
                .mapEmpty();
    }

    /** Whether the blob waits for review (so caches must not answer for it). */
    public Future<Boolean> candidate(SqlConnection c, Digest digest) {
        return c.preparedQuery("SELECT 1 FROM gc_blob_reviews WHERE digest = $1").execute(Tuple.of(digest.toString()))
                .map(rows -> rows.iterator().hasNext());
    }

    /** A due review of the scope, its row locked; rows other workers hold are skipped. */
    public Future<Optional<String>> takeDue(SqlConnection c, GcScope scope) {
        return c.preparedQuery("SELECT r.digest FROM gc_blob_reviews r"
                        + " WHERE r.review_after <= now()"
                        + " AND (r.used_at IS NULL OR r.used_at <= now() - $1 * interval '1 millisecond')" + inScope(scope, 2)
                        + " ORDER BY r.review_after LIMIT 1 FOR UPDATE OF r SKIP LOCKED")
                .execute(withScope(Tuple.of(settings.safetyWindow().toMillis()), scope))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getString(0)) : Optional.empty());
    }

    /**
     * Makes the scope's reviews due now, except for blobs a client relied on within the safety window,
     * which become due when it ends. Answers how many reviews moved.
     */
    public Future<Integer> expedite(SqlConnection c, GcScope scope) {
        return c.preparedQuery("UPDATE gc_blob_reviews r SET review_after ="
                        + " GREATEST(now(), COALESCE(r.used_at + $1 * interval '1 millisecond', now()))"
                        + " WHERE r.review_after > now()" + inScope(scope, 2))
                .execute(withScope(Tuple.of(settings.safetyWindow().toMillis()), scope))
                .map(rows -> rows.rowCount());
    }

    /** Drops the blob's review: it was reviewed. */
    public Future<Void> forget(SqlConnection c, String digest) {
        return Statements.update(c, "DELETE FROM gc_blob_reviews WHERE digest = $1", digest).mapEmpty();
    }

    /**
     * The condition on review rows {@code r} of a namespace: last released there, or linked by one of
     * its repositories. The namespace is bound as {@code $parameter} (see {@link #withScope}).
     */
    static String inScope(GcScope scope, int parameter) {
        return scope.registryWide() ? "" : " AND (r.namespace_id = $" + parameter + " OR EXISTS (SELECT 1 FROM repository_blobs rb"
                + " JOIN repositories rp ON rp.id = rb.repository_id WHERE rb.digest = r.digest AND rp.namespace_id = $" + parameter + "))";
    }

    /** {@code parameters} followed by the scope's namespace, when it has one. */
    static Tuple withScope(Tuple parameters, GcScope scope) {
        return scope.registryWide() ? parameters : parameters.addLong(scope.namespaceId());
    }
}
