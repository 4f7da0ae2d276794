package io.berth.core.gc;

import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * What garbage collection would free, computed from metadata alone (no storage scan): blobs no
 * manifest references, and blobs only untagged manifests reference. Blocking.
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
    public Size size(GcScope scope) {
        return database.read(c -> size(c, scope, false));
    }

    /**
     * What a run would free now: like {@link #size}, but without the blobs and manifests the safety
     * window still protects.
     */
    public Size collectableNow(GcScope scope) {
        return database.read(c -> size(c, scope, true));
    }

    /** Untagged manifests of the scope outside their safety window, oldest first. */
    public List<UntaggedManifest> untaggedManifests(GcScope scope, int limit) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(UntaggedManifests.CTE
                    + "SELECT u.id, rp.name, u.digest FROM untagged u JOIN repositories rp ON rp.id = u.repository_id"
                    + " WHERE u.pushed_at <= now() - ? * interval '1 millisecond' ORDER BY u.pushed_at, u.id LIMIT ?")) {
                bindNamespace(select, scope);
                select.setLong(3, settings.safetyWindow().toMillis());
                select.setInt(4, limit);
                List<UntaggedManifest> found = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(new UntaggedManifest(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
                return found;
            }
        });
    }

    private Size size(Connection c, GcScope scope, boolean respectSafetyWindow) throws SQLException {
        long window = respectSafetyWindow ? settings.safetyWindow().toMillis() : 0;
        String unprotected = respectSafetyWindow
                ? " AND NOT EXISTS (SELECT 1 FROM gc_blob_reviews w WHERE w.digest = b.digest AND w.used_at > now() - "
                        + window + " * interval '1 millisecond')"
                : "";
        String inScope = scope.registryWide() ? "" : " AND (EXISTS (SELECT 1 FROM repository_blobs rb JOIN repositories rp"
                + " ON rp.id = rb.repository_id WHERE rb.digest = b.digest AND rp.namespace_id = ?)"
                + " OR EXISTS (SELECT 1 FROM gc_blob_reviews r WHERE r.digest = b.digest AND r.namespace_id = ?))";
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
        try (PreparedStatement select = c.prepareStatement(sql)) {
            bindNamespace(select, scope);
            if (!scope.registryWide()) {
                select.setLong(3, scope.namespaceId());
                select.setLong(4, scope.namespaceId());
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new Size(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    private static void bindNamespace(PreparedStatement statement, GcScope scope) throws SQLException {
        statement.setObject(1, scope.namespaceId(), Types.BIGINT);
        statement.setObject(2, scope.namespaceId(), Types.BIGINT);
    }
}
