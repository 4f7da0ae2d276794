package io.berth.core.autoprune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The autoprune_runs table: every run with its report, and the one place that says a namespace is
 * being pruned. A run starts by inserting its 'running' row; the partial unique index on
 * {@code namespace_id WHERE status = 'running'} lets only one such row exist per namespace, so of
 * two nodes (or two requests) starting a run of one namespace, one inserts and the other is told
 * it is taken. A running row without a sign of life for the stale time is a node that died: it is
 * marked failed when the next run starts.
 */
@Singleton
public class AutoPruneRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "r.id, n.name, r.repository, r.policy_uuid, r.trigger, r.dry_run, r.status, r.requested_by,"
            + " r.started_at, r.finished_at, r.tags_deleted, r.manifests_deleted, r.error, r.report::text"
            + " FROM autoprune_runs r JOIN namespaces n ON n.id = r.namespace_id";

    /** A namespace whose policies are due to run. */
    public record Due(long namespaceId, String namespace) {
    }

    /** Records the run as running; empty when a run of the namespace is already going on. */
    Future<Optional<UUID>> start(SqlConnection c, RunScope scope, String trigger, boolean dryRun, String requestedBy, Duration staleAfter) {
        UUID id = UUID.randomUUID();
        return Statements.update(c, "UPDATE autoprune_runs SET status = 'failed', finished_at = now(),"
                        + " error = 'the node running it stopped before it finished'"
                        + " WHERE namespace_id = $1 AND status = 'running' AND updated_at < now() - $2 * interval '1 millisecond'",
                        scope.namespaceId(), staleAfter.toMillis())
                .compose(failed -> c.preparedQuery("INSERT INTO autoprune_runs (id, namespace_id, repository, policy_uuid, trigger, dry_run,"
                                + " status, requested_by) VALUES ($1, $2, $3, $4, $5, $6, 'running', $7)"
                                + " ON CONFLICT (namespace_id) WHERE status = 'running' DO NOTHING RETURNING id")
                        .execute(Tuple.from(new Object[] {id, scope.namespaceId(), scope.repository(), scope.policy(), trigger, dryRun,
                                requestedBy})))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(id) : Optional.empty());
    }

    /** A sign of life of a run that goes on. */
    Future<Void> alive(SqlConnection c, UUID id) {
        return Statements.update(c, "UPDATE autoprune_runs SET updated_at = now() WHERE id = $1", id).mapEmpty();
    }

    Future<Void> succeeded(SqlConnection c, UUID id, PruneReport report) {
        return Statements.update(c, "UPDATE autoprune_runs SET status = 'succeeded', finished_at = now(), updated_at = now(),"
                        + " tags_deleted = $2, manifests_deleted = $3, report = CAST($4::text AS jsonb) WHERE id = $1", id,
                        report.dryRun() ? 0 : report.tagsDeleted().size(), report.dryRun() ? 0 : report.manifestsDeleted().size(), json(report))
                .mapEmpty();
    }

    Future<Void> failed(SqlConnection c, UUID id, String error) {
        return Statements.update(c, "UPDATE autoprune_runs SET status = 'failed', finished_at = now(), updated_at = now(), error = $2"
                + " WHERE id = $1", id, error).mapEmpty();
    }

    Future<Optional<AutoPruneRunView>> find(SqlConnection c, long namespaceId, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + " WHERE r.namespace_id = $1 AND r.id = $2").execute(Tuple.of(namespaceId, id))
                .map(rows -> views(rows).stream().findFirst());
    }

    /** The namespace's newest runs (of one repository, when given), at most {@code limit}. */
    Future<List<AutoPruneRunView>> list(SqlConnection c, long namespaceId, String repository, int limit) {
        return c.preparedQuery("SELECT " + COLUMNS + " WHERE r.namespace_id = $1 AND ($2::text IS NULL OR r.repository = $2)"
                        + " ORDER BY r.started_at DESC, r.id LIMIT $3")
                .execute(Tuple.of(namespaceId, repository, (long) limit)).map(AutoPruneRuns::views);
    }

    /**
     * Namespaces with policies whose whole run last started more than half an interval ago (or
     * never): with every node looking once an interval, each is pruned about once an interval.
     */
    Future<List<Due>> due(SqlConnection c, Duration interval) {
        return c.preparedQuery("SELECT n.id, n.name FROM namespaces n"
                        + " WHERE EXISTS (SELECT 1 FROM autoprune_policies p WHERE p.namespace_id = n.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM autoprune_runs r WHERE r.namespace_id = n.id AND r.trigger = 'schedule'"
                        + "   AND r.started_at > now() - $1 * interval '1 millisecond')"
                        + " ORDER BY n.id")
                .execute(Tuple.of(interval.toMillis() / 2)).map(rows -> {
                    List<Due> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new Due(row.getLong(0), row.getString(1)));
                    }
                    return due;
                });
    }

    private static List<AutoPruneRunView> views(RowSet<Row> rows) {
        List<AutoPruneRunView> views = new ArrayList<>();
        for (Row row : rows) {
            views.add(new AutoPruneRunView(row.getUUID(0).toString(), row.getString(1), row.getString(2),
                    row.getUUID(3) == null ? null : row.getUUID(3).toString(), row.getString(4), row.getBoolean(5), row.getString(6),
                    row.getString(7), row.getOffsetDateTime(8).toInstant(),
                    row.getOffsetDateTime(9) == null ? null : row.getOffsetDateTime(9).toInstant(), row.getInteger(10), row.getInteger(11),
                    row.getString(12), row.getString(13) == null ? null : read(row.getString(13))));
        }
        return views;
    }

    private static String json(PruneReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
