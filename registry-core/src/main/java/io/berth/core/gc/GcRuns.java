package io.berth.core.gc;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.metadata.Statements;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.common.AffectedEntities;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The gc_runs table: on-demand runs, their progress and reports. Runs are {@link GcRun} entities,
 * created and read through a Hibernate Reactive session; what is stamped with the database's clock
 * ({@code now()}: progress, the end of a run, a run found stale) is written in SQL in the same session.
 */
@Singleton
public class GcRuns {
    private static final AffectedEntities RUNS = new AffectedEntities(GcRun.class);

    /**
     * Serialises run starts, marks runs whose node stopped (no progress written for five minutes)
     * as failed, and answers whether a run overlapping {@code scope} is still going (one of the
     * registry overlaps everything).
     */
    public Uni<Boolean> overlappingActive(Mutiny.Session session, GcScope scope) {
        return session.createNativeQuery("LOCK TABLE gc_runs IN SHARE ROW EXCLUSIVE MODE", RUNS).executeUpdate()
                .chain(locked -> session.createNativeQuery("UPDATE gc_runs SET status = 'failed', finished_at = now(),"
                        + " error = 'the node running it stopped before it finished'"
                        + " WHERE status = 'running' AND updated_at < now() - interval '5 minutes'", RUNS).executeUpdate())
                .chain(failed -> {
                    Mutiny.SelectionQuery<UUID> running = session.createSelectionQuery("select r.id from GcRun r where r.status = 'running'"
                            + (scope.registryWide() ? "" : " and (r.namespaceId is null or r.namespaceId = :namespace)"), UUID.class);
                    if (!scope.registryWide()) {
                        running.setParameter("namespace", scope.namespaceId());
                    }
                    return running.setMaxResults(1).getResultList();
                })
                .map(found -> !found.isEmpty());
    }

    public Uni<Void> insert(Mutiny.Session session, UUID id, String kind, GcScope scope, boolean deleteUntagged, boolean dryRun,
            String requestedBy, Long estimatedBytes) {
        return session.persist(new GcRun(id, kind, scope, deleteUntagged, dryRun, requestedBy, estimatedBytes));
    }

    public Uni<Void> progress(Mutiny.Session session, UUID id, String phase, GcProgress progress) {
        return session.createNativeQuery("UPDATE gc_runs SET phase = :phase, updated_at = now(),"
                        + " manifests_reviewed = :manifestsReviewed, manifests_deleted = :manifestsDeleted,"
                        + " blobs_reviewed = :blobsReviewed, blobs_deleted = :blobsDeleted, bytes_freed = :bytesFreed WHERE id = :id", RUNS)
                .setParameter("phase", phase)
                .setParameter("manifestsReviewed", progress.manifestsReviewed())
                .setParameter("manifestsDeleted", progress.manifestsDeleted())
                .setParameter("blobsReviewed", progress.blobsReviewed())
                .setParameter("blobsDeleted", progress.blobsDeleted())
                .setParameter("bytesFreed", progress.bytesFreed())
                .setParameter("id", id)
                .executeUpdate()
                .replaceWithVoid();
    }

    public Uni<Void> finish(Mutiny.Session session, UUID id, GcProgress progress, JsonNode report, String error) {
        // The report goes as text, cast in SQL: a string bound for jsonb would be stored as a JSON string.
        return progress(session, id, "done", progress)
                .chain(() -> session.createNativeQuery("UPDATE gc_runs SET status = :status, finished_at = now(),"
                                + " report = CAST(CAST(:report AS text) AS jsonb), error = :error WHERE id = :id", RUNS)
                        .setParameter("status", error == null ? "succeeded" : "failed")
                        .setParameter("report", report == null ? null : report.toString())
                        .setParameter("error", error)
                        .setParameter("id", id)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Marks a run failed because its node is shutting down (in plain SQL: see {@link GcRunService}). */
    public Future<Void> interrupted(SqlConnection c, UUID id) {
        return Statements.update(c, "UPDATE gc_runs SET status = 'failed', finished_at = now(), error = 'the node running it shut down'"
                + " WHERE id = $1 AND status = 'running'", id).mapEmpty();
    }

    public Uni<Optional<GcRun>> find(Mutiny.Session session, UUID id) {
        return session.find(GcRun.class, id).map(Optional::ofNullable);
    }

    /** The newest runs of a scope (of the registry: every run), at most {@code limit}. */
    public Uni<List<GcRunView>> list(Mutiny.Session session, GcScope scope, int limit) {
        Mutiny.SelectionQuery<GcRun> newest = session.createSelectionQuery("from GcRun r"
                + (scope.registryWide() ? "" : " where r.namespaceId = :namespace") + " order by r.createdAt desc", GcRun.class);
        if (!scope.registryWide()) {
            newest.setParameter("namespace", scope.namespaceId());
        }
        return newest.setMaxResults(limit).getResultList().map(runs -> runs.stream().map(GcRun::view).toList());
    }
}
