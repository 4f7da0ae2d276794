package io.berth.core.gc;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.metadata.Database;
import io.berth.core.protocol.manifest.ManifestService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reviews manifests and deletes those that are untagged and that nothing keeps: untagged means not
 * tagged, not listed by an index of the repository, not a referrer of a manifest that exists, and
 * not the subject of a tagged referrer. So multi-arch images keep their platforms, and signatures
 * and attestations stay as long as what they describe. A manifest pushed within the safety window
 * is left for later: it may be a platform of an index still being pushed. A read-only repository is
 * left as it is (a review found there is dropped). Deleting one queues what it referenced, so an
 * untagged index and then its platforms go in turn.
 */
@Singleton
public class ManifestCollector {
    /** Whether a manifest {@code m}, locked, is kept by anything. */
    private static final String KEPT = """
            SELECT r.name, m.repository_id, m.digest, m.pushed_at,
              r.state = 'READ_ONLY'
              OR EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id AND (t.expires_at IS NULL OR t.expires_at > now()))
              OR EXISTS (SELECT 1 FROM manifest_children mc JOIN manifests p ON p.id = mc.manifest_id
                         WHERE p.repository_id = m.repository_id AND mc.child_digest = m.digest)
              OR (m.subject_digest IS NOT NULL AND EXISTS (SELECT 1 FROM manifests s
                         WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest))
              OR EXISTS (SELECT 1 FROM manifests f JOIN tags ft ON ft.manifest_id = f.id
                         WHERE f.repository_id = m.repository_id AND f.subject_digest = m.digest
                         AND (ft.expires_at IS NULL OR ft.expires_at > now()))
            FROM manifests m JOIN repositories r ON r.id = m.repository_id
            WHERE m.id = $1 FOR UPDATE OF m""";

    private final Database database;
    private final ManifestReviews reviews;
    private final ManifestService manifestService;
    private final CacheInvalidations invalidations;
    private final GcSettings settings;

    @Inject
    public ManifestCollector(Database database, ManifestReviews reviews, ManifestService manifestService,
            CacheInvalidations invalidations, GcSettings settings) {
        this.database = database;
        this.reviews = reviews;
        this.manifestService = manifestService;
        this.invalidations = invalidations;
        this.settings = settings;
    }

    /** What settling a review did: whether the manifest went, and the cache entries that went with it. */
    private record Settled(boolean deleted, List<Invalidation> stale) {
        static final Settled KEPT = new Settled(false, List.of());
    }

    /** Settles one due review of the scope; false when none is due. */
    public Future<Boolean> reviewNext(GcScope scope, GcProgress progress) {
        return database.<Optional<Settled>>transaction(c -> reviews.takeDue(c, scope).compose(due -> due.isEmpty()
                        ? Future.succeededFuture(Optional.empty())
                        : settle(c, due.get()).map(Optional::of)))
                .map(settled -> {
                    settled.ifPresent(done -> applied(done, progress));
                    return settled.isPresent();
                });
    }

    /** Reviews one manifest now, whether or not it was queued (an on-demand deletion of untagged manifests). */
    public Future<Boolean> review(long manifestId, GcProgress progress) {
        return database.transaction(c -> settle(c, manifestId)).map(settled -> {
            applied(settled, progress);
            return settled.deleted();
        });
    }

    /** After commit: this node's caches drop what went, and the review counts. */
    private void applied(Settled settled, GcProgress progress) {
        invalidations.apply(settled.stale());
        progress.manifestReviewed(settled.deleted());
    }

    /** Locks the manifest and deletes it when nothing keeps it. */
    private Future<Settled> settle(SqlConnection c, long manifestId) {
        return c.preparedQuery(KEPT).execute(Tuple.of(manifestId)).compose(rows -> {
            if (!rows.iterator().hasNext()) {
                return Future.succeededFuture(Settled.KEPT);
            }
            Row row = rows.iterator().next();
            if (row.getBoolean(4)) {
                return reviews.forget(c, manifestId).map(forgotten -> Settled.KEPT);
            }
            Instant safeUntil = row.getOffsetDateTime(3).toInstant().plus(settings.safetyWindow());
            if (safeUntil.isAfter(Instant.now())) {
                return reviews.postpone(c, manifestId, safeUntil).map(postponed -> Settled.KEPT);
            }
            RepositoryName name = RepositoryName.parse(row.getString(0));
            return manifestService.deleteLocked(c, name, row.getLong(1), manifestId, Digest.parse(row.getString(2)))
                    .map(stale -> new Settled(true, stale));
        });
    }
}
