package io.berth.core.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An on-demand collection or orphan sweep, as the {@code gc_runs} table keeps it. A run is created
 * here and read from here; its progress and its end are written by {@link GcRuns} in SQL, because
 * they are stamped with the database's clock, which also tells when a run's node went quiet.
 */
@Entity
@Table(name = "gc_runs")
public class GcRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Id
    @Column(name = "id")
    private UUID id;

    @Column(name = "kind", nullable = false)
    private String kind;

    @Column(name = "namespace_id")
    private Long namespaceId;

    /** The namespace's name, for the API. */
    @Formula("(SELECT n.name FROM namespaces n WHERE n.id = namespace_id)")
    private String namespace;

    @Column(name = "delete_untagged", nullable = false)
    private boolean deleteUntagged;

    @Column(name = "dry_run", nullable = false)
    private boolean dryRun;

    @Column(name = "status", nullable = false)
    private String status;

    @Column(name = "phase", nullable = false)
    private String phase;

    @Column(name = "requested_by")
    private String requestedBy;

    /** Set by the database on insert. */
    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    /** Set by the database on insert and with each progress write. */
    @Column(name = "updated_at", insertable = false, updatable = false)
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "estimated_bytes")
    private Long estimatedBytes;

    @Column(name = "manifests_reviewed", nullable = false)
    private long manifestsReviewed;

    @Column(name = "manifests_deleted", nullable = false)
    private long manifestsDeleted;

    @Column(name = "blobs_reviewed", nullable = false)
    private long blobsReviewed;

    @Column(name = "blobs_deleted", nullable = false)
    private long blobsDeleted;

    @Column(name = "bytes_freed", nullable = false)
    private long bytesFreed;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "report")
    private String report;

    @Column(name = "error")
    private String error;

    protected GcRun() {
    }

    /** A run just started: running, queued, nothing done yet. */
    GcRun(UUID id, String kind, GcScope scope, boolean deleteUntagged, boolean dryRun, String requestedBy, Long estimatedBytes) {
        this.id = id;
        this.kind = kind;
        this.namespaceId = scope.namespaceId();
        this.deleteUntagged = deleteUntagged;
        this.dryRun = dryRun;
        this.status = "running";
        this.phase = "queued";
        this.requestedBy = requestedBy;
        this.estimatedBytes = estimatedBytes;
    }

    /** What the run covers. */
    GcScope scope() {
        return new GcScope(namespaceId);
    }

    GcRunView view() {
        return new GcRunView(id.toString(), kind, namespace, deleteUntagged, dryRun, status, phase, requestedBy, createdAt, updatedAt,
                finishedAt, estimatedBytes, manifestsReviewed, manifestsDeleted, blobsReviewed, blobsDeleted, bytesFreed,
                json(report), error);
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
