package io.berth.core.image;

import io.berth.core.metadata.ManifestSize;
import io.berth.core.metadata.Statements;
import io.berth.core.error.ManagementException;
import io.berth.core.paging.Like;
import io.berth.core.paging.SortOrder;
import io.vertx.core.Future;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A repository's manifests for the images listing, a page at a time. */
@Singleton
public class ImageCatalog {

    /** One manifest row with what the listing needs; its payload is parsed by the caller. */
    public record Row(long id, String digest, String mediaType, String artifactType, String configDigest, byte[] payload, List<String> tags,
            long size, Instant createdAt, boolean configRead, String os, String architecture, String variant, long pullCount,
            Instant lastPulled) {
    }

    /**
     * What images are ordered by ({@code sort_field}: createdAt, the default, lastPulled, pullCount, size)
     * and in which direction ({@code sort_type}: desc, the default, newest or most pulled first; asc).
     * Images never pulled come last either way.
     */
    public record Order(Field field, boolean descending) {
        public static final Order NEWEST_FIRST = new Order(Field.CREATED_AT, true);

        public enum Field {
            CREATED_AT("created_at"), LAST_PULLED("last_pulled"), PULL_COUNT("pull_count"), SIZE("size");

            final String column;

            Field(String column) {
                this.column = column;
            }
        }

        public static Order parse(String sortField, String sortType) {
            Field field = switch (sortField == null || sortField.isEmpty() ? "createdAt" : sortField) {
                case "createdAt", "created_at", "pushed" -> Field.CREATED_AT;
                case "lastPulled" -> Field.LAST_PULLED;
                case "pullCount" -> Field.PULL_COUNT;
                case "size" -> Field.SIZE;
                default -> throw ManagementException.badRequest("sort_field must be one of createdAt (or pushed), lastPulled, pullCount, size");
            };
            return new Order(field, SortOrder.descending(sortType == null || sortType.isEmpty() ? "desc" : sortType));
        }
    }

    /** A page, with how many manifests the repository has ({@code totalCount}) and how many of them the search matches. */
    public record Page(List<Row> rows, long totalCount, long filteredCount) {
    }

    /** The repository is $1. */
    private static final String COLUMNS = "SELECT m.id, m.digest, m.media_type, m.artifact_type, m.config_digest, m.payload,"
            + " ARRAY(SELECT t.name FROM tags t WHERE t.manifest_id = m.id AND (t.expires_at IS NULL OR t.expires_at > now())"
            + " ORDER BY t.name), " + ManifestSize.SQL + " AS size, m.created_at AS created_at, m.config_read, m.config_os,"
            + " m.config_architecture, m.config_variant, m.pull_count AS pull_count, m.last_pulled_at AS last_pulled"
            + " FROM manifests m WHERE m.repository_id = $1";
    /** The search's pattern is $2, for digests and tag names alike. */
    private static final String SEARCH = "(m.digest LIKE $2 ESCAPE '\\' OR EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id"
            + " AND t.name LIKE $2 ESCAPE '\\'))";

    public Future<Page> list(SqlConnection c, long repositoryId, String search, Order order, int limit, int offset) {
        boolean searching = search != null && !search.isEmpty();
        List<Object> parameters = new ArrayList<>(List.of(repositoryId));
        if (searching) {
            parameters.add(Like.containing(search));
        }
        int first = parameters.size() + 1;
        // Independent reads: pipelined on the connection, one round trip for both.
        Future<RowSet<io.vertx.sqlclient.Row>> page = c.preparedQuery(COLUMNS + (searching ? " AND " + SEARCH : "")
                        + " ORDER BY " + SortOrder.nullsLast(order.field().column, order.descending()) + ", m.id"
                        + (order.descending() ? " DESC" : "") + " LIMIT $" + first + " OFFSET $" + (first + 1))
                .execute(Tuple.from(parameters).addInteger(limit).addInteger(offset));
        Future<RowSet<io.vertx.sqlclient.Row>> counts = c.preparedQuery("SELECT count(*), count(*) FILTER (WHERE "
                + (searching ? SEARCH : "TRUE") + ") FROM manifests m WHERE m.repository_id = $1").execute(Tuple.from(parameters));
        return Future.all(page, counts).map(both -> {
            List<Row> rows = new ArrayList<>();
            for (io.vertx.sqlclient.Row row : page.result()) {
                rows.add(row(row));
            }
            io.vertx.sqlclient.Row count = counts.result().iterator().next();
            return new Page(rows, count.getLong(0), count.getLong(1));
        });
    }

    public Future<Optional<Row>> find(SqlConnection c, long repositoryId, String digest) {
        return c.preparedQuery(COLUMNS + " AND m.digest = $2").execute(Tuple.of(repositoryId, digest)).map(rows -> {
            var found = rows.iterator();
            return found.hasNext() ? Optional.of(row(found.next())) : Optional.empty();
        });
    }

    /** Keeps the platform read from a manifest's config. */
    public Future<Void> recordPlatform(SqlConnection c, long manifestId, String os, String architecture, String variant) {
        return Statements.update(c, "UPDATE manifests SET config_os = $1, config_architecture = $2, config_variant = $3, config_read = true"
                + " WHERE id = $4", os, architecture, variant, manifestId).mapEmpty();
    }

    private static Row row(io.vertx.sqlclient.Row row) {
        return new Row(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getBuffer(5).getBytes(), Arrays.asList(row.getArrayOfStrings(6)), row.getLong(7),
                row.getOffsetDateTime(8).toInstant(), row.getBoolean(9), row.getString(10), row.getString(11), row.getString(12),
                row.getLong(13), row.getOffsetDateTime(14) == null ? null : row.getOffsetDateTime(14).toInstant());
    }
}
