package io.berth.core.quota;

import io.berth.core.domain.Digest;
import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The namespace_quotas and namespace_quota_limits tables, and the usage counter they are measured against. */
@Singleton
public class QuotaRecords {

    public record QuotaRow(long id, long namespaceId, long limitBytes, Instant createdAt) {
    }

    public record LimitRow(long id, long quotaId, QuotaLimitType type, int thresholdPercent) {
    }

    public Future<Optional<QuotaRow>> quotaOf(SqlConnection c, long namespaceId) {
        return c.preparedQuery("SELECT id, namespace_id, limit_bytes, created_at FROM namespace_quotas WHERE namespace_id = $1")
                .execute(Tuple.of(namespaceId)).map(QuotaRecords::firstQuota);
    }

    /** Inserts the namespace's quota; empty when it has one already (Quay allows one per namespace). */
    public Future<Optional<Long>> insertQuota(SqlConnection c, long namespaceId, long limitBytes) {
        return c.preparedQuery("INSERT INTO namespace_quotas (namespace_id, limit_bytes) VALUES ($1, $2)"
                        + " ON CONFLICT (namespace_id) DO NOTHING RETURNING id")
                .execute(Tuple.of(namespaceId, limitBytes))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getLong(0)) : Optional.empty());
    }

    public Future<Void> updateQuota(SqlConnection c, long quotaId, long limitBytes) {
        return Statements.update(c, "UPDATE namespace_quotas SET limit_bytes = $1 WHERE id = $2", limitBytes, quotaId).mapEmpty();
    }

    public Future<Void> deleteQuota(SqlConnection c, long quotaId) {
        return Statements.update(c, "DELETE FROM namespace_quotas WHERE id = $1", quotaId).mapEmpty();
    }

    public Future<List<LimitRow>> limits(SqlConnection c, long quotaId) {
        return c.preparedQuery("SELECT id, quota_id, type, threshold_percent FROM namespace_quota_limits WHERE quota_id = $1"
                        + " ORDER BY threshold_percent, type")
                .execute(Tuple.of(quotaId)).map(QuotaRecords::limitRows);
    }

    /** Inserts a limit; empty when the quota has the same one, or a second Reject limit was asked for. */
    public Future<Optional<Long>> insertLimit(SqlConnection c, long quotaId, QuotaLimitType type, int thresholdPercent) {
        return c.preparedQuery("INSERT INTO namespace_quota_limits (quota_id, type, threshold_percent) VALUES ($1, $2, $3)"
                        + " ON CONFLICT DO NOTHING RETURNING id")
                .execute(Tuple.of(quotaId, type.wireName(), thresholdPercent))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getLong(0)) : Optional.empty());
    }

    public Future<Void> updateLimit(SqlConnection c, long limitId, QuotaLimitType type, int thresholdPercent) {
        return Statements.update(c, "UPDATE namespace_quota_limits SET type = $1, threshold_percent = $2 WHERE id = $3",
                type.wireName(), thresholdPercent, limitId).mapEmpty();
    }

    public Future<Void> deleteLimit(SqlConnection c, long limitId) {
        return Statements.update(c, "DELETE FROM namespace_quota_limits WHERE id = $1", limitId).mapEmpty();
    }

    /** What the namespace's usage counter says, in bytes. */
    public Future<Long> usedBytes(SqlConnection c, long namespaceId) {
        return c.preparedQuery("SELECT used_bytes FROM namespace_usage WHERE namespace_id = $1").execute(Tuple.of(namespaceId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : 0L);
    }

    /** The Reject limit of the namespace named {@code namespace}, in bytes; empty when it has none. */
    public Future<OptionalLong> rejectBytes(SqlConnection c, String namespace) {
        return c.preparedQuery("SELECT floor(q.limit_bytes::numeric * l.threshold_percent / 100)::bigint FROM namespaces n"
                        + " JOIN namespace_quotas q ON q.namespace_id = n.id"
                        + " JOIN namespace_quota_limits l ON l.quota_id = q.id AND l.type = 'Reject' WHERE n.name = $1")
                .execute(Tuple.of(namespace))
                .map(rows -> rows.iterator().hasNext() ? OptionalLong.of(rows.iterator().next().getLong(0)) : OptionalLong.empty());
    }

    /**
     * The usage of the namespace named {@code namespace} when storing {@code digest} (null: content
     * not known yet) there would add to it; empty when the namespace holds that digest already.
     */
    public Future<OptionalLong> usageBefore(SqlConnection c, String namespace, Digest digest) {
        return c.preparedQuery("SELECT COALESCE(u.used_bytes, 0) FROM namespaces n LEFT JOIN namespace_usage u ON u.namespace_id = n.id"
                        + " WHERE n.name = $1 AND ($2::text IS NULL OR NOT EXISTS"
                        + " (SELECT 1 FROM namespace_blobs nb WHERE nb.namespace_id = n.id AND nb.digest = $2))")
                .execute(Tuple.of(namespace, digest == null ? null : digest.toString()))
                .map(rows -> rows.iterator().hasNext() ? OptionalLong.of(rows.iterator().next().getLong(0)) : OptionalLong.empty());
    }

    private static Optional<QuotaRow> firstQuota(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new QuotaRow(row.getLong(0), row.getLong(1), row.getLong(2),
                row.getOffsetDateTime(3).withOffsetSameInstant(ZoneOffset.UTC).toInstant()));
    }

    private static List<LimitRow> limitRows(RowSet<Row> rows) {
        List<LimitRow> limits = new ArrayList<>();
        for (Row row : rows) {
            limits.add(new LimitRow(row.getLong(0), row.getLong(1), QuotaLimitType.parse(row.getString(2)), row.getInteger(3)));
        }
        return limits;
    }
}
