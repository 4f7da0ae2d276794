package io.berth.core.gc;

import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * What garbage collection would free, computed from metadata alone (no storage scan): blobs no
 * manifest references, and blobs only untagged manifests reference.
 */
@Singleton
public class GcEstimate {
    /** At most this many manifests are listed by a dry run (all are counted). */
    static final int LISTED = 1000;

    /** Bytes (and blobs) collection would free. */
    public record Size(long sizeNonReferenced, long sizeUntagged, long blobsNonReferenced, long blobsUntagged) {
        public long sizeSummary() {
            return sizeNonReferenced + sizeUntagged;
        }
    }

    /** A manifest deleting untagged manifests would remove. */
    public record UntaggedManifest(long id, String repository, String digest) {
    }

    private final Database database;
    private final GcSettings settings;

    @Inject
    public GcEstimate(Database database, GcSettings settings) {
        this.database = database;
        this.settings = settings;
    }

    /** The potential savings of the scope, the safety window aside. */
    public Future<Size> size(GcScope scope) {
        return database.read(c -> size(c, scope, false));
    }

    /**
     * What a run would free now: like {@link #size}, but without the blobs and manifests the safety
     * window still protects.
     */
    public Future<Size> collectableNow(GcScope scope) {
        return database.read(c -> size(c, scope, true));
    }

    /** Untagged manifests of the scope outside their safety window, oldest first. */
    public Future<List<UntaggedManifest>> untaggedManifests(GcScope scope, int limit) {
        return database.read(c -> c.preparedQuery(UntaggedManifests.CTE
                        + "SELECT u.id, rp.name, u.digest FROM untagged u JOIN repositories rp ON rp.id = u.repository_id"
                        + " WHERE u.pushed_at <= now() - $2 * interval '1 millisecond' ORDER BY u.pushed_at, u.id LIMIT $3")
                .execute(Tuple.tuple().addLong(scope.namespaceId()).addLong(settings.safetyWindow().toMillis()).addLong((long) limit))
                .map(rows -> {
                    List<UntaggedManifest> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(new UntaggedManifest(row.getLong(0), row.getString(1), row.getString(2)));
                    }
                    return found;
                }));
    }

    /** The sizes, the scope's namespace (null for the registry) bound as $1 for the CTE and the scope condition alike. */
    private Future<Size> size(SqlConnection c, GcScope scope, boolean respectSafetyWindow) {
        long window = respectSafetyWindow ? settings.safetyWindow().toMillis() : 0;
        String unprotected = respectSafetyWindow
                ? " AND NOT EXISTS (SELECT 1 FROM gc_blob_reviews w WHERE w.digest = b.digest AND w.used_at > now() - "
                        + window + " * interval '1 millisecond')"
                : "";
        String inScope = scope.registryWide() ? "" : " AND (EXISTS (SELECT 1 FROM repository_blobs rb JOIN repositories rp"
                + " ON rp.id = rb.repository_id WHERE rb.digest = b.digest AND rp.namespace_id = $1)"
                + " OR EXISTS (SELECT 1 FROM gc_blob_reviews r WHERE r.digest = b.digest AND r.namespace_id = $1))";
        String sql = UntaggedManifests.CTE + ", doomed AS (SELECT id FROM untagged WHERE pushed_at <= now() - "
                + window + " * interval '1 millisecond')"
                + " SELECT"
                + " COALESCE(sum(b.size) FILTER (WHERE NOT EXISTS (SELECT 1 FROM manifest_blobs mb WHERE mb.digest = b.digest)), 0),"
                + " COALESCE(sum(b.size) FILTER (WHERE EXISTS (SELECT 1 FROM manifest_blobs mb WHERE mb.digest = b.digest)), 0),"
                + " count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM manifest_blobs mb WHERE mb.digest = b.digest)),"
                + " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM manifest_blobs mb WHERE mb.digest = b.digest))"
                + " FROM blobs b WHERE b.state = 'present'" + unprotected + inScope
                // referenced by no manifest, or only by manifests that deleting untagged ones removes
                + " AND NOT EXISTS (SELECT 1 FROM manifest_blobs mb WHERE mb.digest = b.digest"
                + "   AND mb.manifest_id NOT IN (SELECT id FROM doomed))";
        return c.preparedQuery(sql).execute(Tuple.tuple().addLong(scope.namespaceId())).map(rows -> {
            Row row = rows.iterator().next();
            // The sums are numerics in PostgreSQL; getLong reads any number.
            return new Size(row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3));
        });
    }
}
