package io.berth.core.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.metadata.Statements;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The gc_runs table: on-demand runs, their progress and reports. */
@Singleton
public class GcRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "g.id, g.kind, n.name, g.delete_untagged, g.dry_run, g.status, g.phase, g.requested_by,"
            + " g.created_at, g.updated_at, g.finished_at, g.estimated_bytes, g.manifests_reviewed, g.manifests_deleted,"
            + " g.blobs_reviewed, g.blobs_deleted, g.bytes_freed, g.report::text, g.error"
            + " FROM gc_runs g LEFT JOIN namespaces n ON n.id = g.namespace_id";

    /**
     * Serialises run starts, marks runs whose node stopped (no progress written for five minutes)
     * as failed, and answers whether a run
     * overlapping {@code scope} is still going (one of the registry overlaps everything).
     */
    public boolean overlappingActive(Connection c, GcScope scope) throws SQLException {
        Statements.update(c, "LOCK TABLE gc_runs IN SHARE ROW EXCLUSIVE MODE");
        Statements.update(c, "UPDATE gc_runs SET status = 'failed', finished_at = now(),"
                + " error = 'the node running it stopped before it finished'"
                + " WHERE status = 'running' AND updated_at < now() - interval '5 minutes'");
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM gc_runs WHERE status = 'running'"
                + (scope.registryWide() ? "" : " AND (namespace_id IS NULL OR namespace_id = ?)") + " LIMIT 1")) {
            if (!scope.registryWide()) {
                select.setLong(1, scope.namespaceId());
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void insert(Connection c, UUID id, String kind, GcScope scope, boolean deleteUntagged, boolean dryRun,
            String requestedBy, Long estimatedBytes) throws SQLException {
        Statements.update(c, "INSERT INTO gc_runs (id, kind, namespace_id, delete_untagged, dry_run, status, phase,"
                + " requested_by, estimated_bytes) VALUES (?, ?, ?, ?, ?, 'running', 'queued', ?, ?)",
                id, kind, scope.namespaceId(), deleteUntagged, dryRun, requestedBy, estimatedBytes);
    }

    public void progress(Connection c, UUID id, String phase, GcProgress progress) throws SQLException {
        Statements.update(c, "UPDATE gc_runs SET phase = ?, updated_at = now(), manifests_reviewed = ?, manifests_deleted = ?,"
                + " blobs_reviewed = ?, blobs_deleted = ?, bytes_freed = ? WHERE id = ?",
                phase, progress.manifestsReviewed(), progress.manifestsDeleted(), progress.blobsReviewed(),
                progress.blobsDeleted(), progress.bytesFreed(), id);
    }

    public void finish(Connection c, UUID id, GcProgress progress, JsonNode report, String error) throws SQLException {
        progress(c, id, "done", progress);
        Statements.update(c, "UPDATE gc_runs SET status = ?, finished_at = now(), report = ?::jsonb, error = ? WHERE id = ?",
                error == null ? "succeeded" : "failed", report == null ? null : report.toString(), error, id);
    }

    /** Marks a run failed because its node is shutting down. */
    public void interrupted(Connection c, UUID id) throws SQLException {
        Statements.update(c, "UPDATE gc_runs SET status = 'failed', finished_at = now(), error = 'the node running it shut down'"
                + " WHERE id = ? AND status = 'running'", id);
    }

    public Optional<GcRunView> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " WHERE g.id = ?")) {
            select.setObject(1, id);
            List<GcRunView> found = read(select);
            return found.stream().findFirst();
        }
    }

    /** What a run covers; empty when there is no such run. */
    public Optional<GcScope> scopeOf(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT namespace_id FROM gc_runs WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new GcScope(rs.getObject(1, Long.class))) : Optional.empty();
            }
        }
    }

    /** The newest runs of a scope (of the registry: every run), at most {@code limit}. */
    public List<GcRunView> list(Connection c, GcScope scope, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
                + (scope.registryWide() ? "" : " WHERE g.namespace_id = ?") + " ORDER BY g.created_at DESC LIMIT ?")) {
            int index = 1;
            if (!scope.registryWide()) {
                select.setLong(index++, scope.namespaceId());
            }
            select.setInt(index, limit);
            return read(select);
        }
    }

    private static List<GcRunView> read(PreparedStatement select) throws SQLException {
        List<GcRunView> runs = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                long estimated = rs.getLong(12);
                Long estimate = rs.wasNull() ? null : estimated;
                runs.add(new GcRunView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)),
                        instant(rs.getTimestamp(11)), estimate, rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                        rs.getLong(17), json(rs.getString(18)), rs.getString(19)));
            }
        }
        return runs;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
