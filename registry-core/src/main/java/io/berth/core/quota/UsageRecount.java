package io.berth.core.quota;

import io.berth.core.account.Actors;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes a namespace's usage from the tables themselves (the {@code namespace_holdings} view:
 * its repositories' blob links and manifests), reports how far the counter had drifted and sets the
 * counter and the membership to what was found. The counter is kept by triggers in each change's own
 * transaction, so drift means a bug or a change made behind them; the recount is how one tells.
 *
 * <p>While it counts, the membership table is locked in SHARE mode: every push or delete that would
 * change it waits (for the milliseconds the recount of one namespace takes), so what is counted is
 * exactly what the counter should say at that moment.
 */
@Singleton
public class UsageRecount {
    private final Database database;

    @Inject
    public UsageRecount(Database database) {
        this.database = database;
    }

    /**
     * What a recount found: the counter before ({@code countedBytes}), the tables' answer
     * ({@code recountedBytes}) and their difference; {@code digests} held, and how many membership
     * rows differed from the tables.
     */
    public record Report(String namespace, long countedBytes, long recountedBytes, long driftBytes, long digests, long driftedDigests) {
    }

    /** Recounts the namespace {@code namespace}; administrators only. */
    public Future<Report> recount(Principal actor, String namespace) {
        return Futures.attempt(() -> {
            Actors.requireSuperuser(actor);
            return database.read(c -> c.preparedQuery("SELECT id FROM namespaces WHERE name = $1").execute(Tuple.of(namespace))
                            .map(rows -> {
                                if (!rows.iterator().hasNext()) {
                                    throw ManagementException.notFound("no namespace " + namespace);
                                }
                                return rows.iterator().next().getLong(0);
                            }))
                    .compose(id -> recount(id, namespace));
        });
    }

    /** Recounts every namespace, one transaction each; administrators only. */
    public Future<List<Report>> recountAll(Principal actor) {
        return Futures.attempt(() -> {
            Actors.requireSuperuser(actor);
            return database.read(c -> c.query("SELECT id, name FROM namespaces ORDER BY name").execute().map(rows -> {
                List<Row> all = new ArrayList<>();
                rows.forEach(all::add);
                return all;
            })).compose(namespaces -> Futures.sequentially(namespaces, row -> recount(row.getLong(0), row.getString(1))));
        });
    }

    private Future<Report> recount(long namespaceId, String namespace) {
        return database.transaction(c -> Statements.update(c, "LOCK TABLE namespace_blobs IN SHARE MODE")
                .compose(locked -> c.preparedQuery("""
                        SELECT COALESCE((SELECT used_bytes FROM namespace_usage WHERE namespace_id = $1), 0),
                               COALESCE((SELECT sum(size) FROM namespace_holdings WHERE namespace_id = $1), 0)::bigint,
                               (SELECT count(*) FROM namespace_holdings WHERE namespace_id = $1),
                               (SELECT count(*) FROM (SELECT digest, size, holders FROM namespace_blobs WHERE namespace_id = $1) counted
                                    FULL JOIN (SELECT digest, size, holders FROM namespace_holdings WHERE namespace_id = $1) found
                                    USING (digest)
                                WHERE counted.holders IS DISTINCT FROM found.holders OR counted.size IS DISTINCT FROM found.size)""")
                        .execute(Tuple.of(namespaceId)))
                .compose(rows -> {
                    Row row = rows.iterator().next();
                    Report report = new Report(namespace, row.getLong(0), row.getLong(1), row.getLong(0) - row.getLong(1), row.getLong(2),
                            row.getLong(3));
                    return report.driftBytes() == 0 && report.driftedDigests() == 0 ? Future.succeededFuture(report)
                            : fix(c, namespaceId, report.recountedBytes()).map(report);
                }));
    }

    private static Future<Void> fix(SqlConnection c, long namespaceId, long recountedBytes) {
        return Statements.update(c, "DELETE FROM namespace_blobs WHERE namespace_id = $1", namespaceId)
                .compose(deleted -> Statements.update(c, "INSERT INTO namespace_blobs (namespace_id, digest, size, holders)"
                        + " SELECT namespace_id, digest, size, holders FROM namespace_holdings WHERE namespace_id = $1", namespaceId))
                .compose(inserted -> Statements.update(c, "INSERT INTO namespace_usage (namespace_id, used_bytes) VALUES ($1, $2)"
                        + " ON CONFLICT (namespace_id) DO UPDATE SET used_bytes = EXCLUDED.used_bytes", namespaceId, recountedBytes))
                .mapEmpty();
    }
}
