package io.berth.core.tag;

import io.berth.core.metadata.ManifestSize;
import io.berth.core.paging.Like;
import io.berth.core.paging.SortOrder;
import io.berth.core.pullstats.Pulls;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads tags and their history for the management API, a page at a time. */
@Singleton
public class TagCatalog {

    /** A page of tags, and whether more follow. */
    public record Page(List<TagView> tags, boolean hasAdditional) {
    }

    private static final String SIZE = ManifestSize.SQL;

    /** The repository is $1. The sort fields' columns are named; a past period of a tag has no pull statistics. */
    private static final String ACTIVE = "SELECT t.name AS name, m.digest, m.media_type, " + SIZE + ", t.updated_at AS last_modified,"
            + " t.expires_at, h.started_at, NULL::timestamptz, t.pull_count AS pull_count, t.last_pulled_at AS last_pulled"
            + " FROM tags t JOIN manifests m ON m.id = t.manifest_id"
            + " LEFT JOIN tag_history h ON h.repository_id = t.repository_id AND h.name = t.name AND h.ended_at IS NULL"
            + " WHERE t.repository_id = $1 AND (t.expires_at IS NULL OR t.expires_at > now())";

    /** The repository is $1. */
    private static final String HISTORY = "SELECT h.name AS name, h.manifest_digest, m.media_type, COALESCE(" + SIZE + ", 0),"
            + " COALESCE(h.ended_at, t.updated_at, h.started_at) AS last_modified, t.expires_at, h.started_at, h.ended_at,"
            + " t.pull_count AS pull_count, t.last_pulled_at AS last_pulled"
            + " FROM tag_history h"
            + " LEFT JOIN manifests m ON m.repository_id = h.repository_id AND m.digest = h.manifest_digest"
            + " LEFT JOIN tags t ON h.ended_at IS NULL AND t.repository_id = h.repository_id AND t.name = h.name"
            + " WHERE h.repository_id = $1";

    public Future<Page> list(SqlConnection c, long repositoryId, TagQuery query) {
        String alias = query.onlyActive() ? "t" : "h";
        StringBuilder sql = new StringBuilder(query.onlyActive() ? ACTIVE : HISTORY);
        Tuple parameters = Tuple.of(repositoryId);
        if (query.nameContains() != null) {
            parameters.addString(Like.containing(query.nameContains()));
            sql.append(" AND ").append(alias).append(".name LIKE $").append(parameters.size()).append(" ESCAPE '\\'");
        }
        if (query.nameEquals() != null) {
            parameters.addString(query.nameEquals());
            sql.append(" AND ").append(alias).append(".name = $").append(parameters.size());
        }
        sql.append(" ORDER BY ");
        if (query.sortField() != TagQuery.SortField.NAME || query.descending()) {
            sql.append(SortOrder.nullsLast(query.sortField().column, query.descending())).append(", ");
        }
        sql.append(query.onlyActive() ? "t.name" : "h.name, h.started_at DESC, h.id DESC")
                .append(" LIMIT $").append(parameters.size() + 1).append(" OFFSET $").append(parameters.size() + 2);
        parameters.addInteger(query.limit() + 1).addInteger(query.offset());
        return c.preparedQuery(sql.toString()).execute(parameters).map(rows -> {
            List<TagView> tags = new ArrayList<>();
            for (Row row : rows) {
                tags.add(view(row));
            }
            boolean more = tags.size() > query.limit();
            return new Page(more ? tags.subList(0, query.limit()) : tags, more);
        });
    }

    /** The live tag {@code name}, if there is one. */
    public Future<Optional<TagView>> active(SqlConnection c, long repositoryId, String name) {
        return c.preparedQuery(ACTIVE + " AND t.name = $2").execute(Tuple.of(repositoryId, name)).map(rows -> {
            var found = rows.iterator();
            return found.hasNext() ? Optional.of(view(found.next())) : Optional.empty();
        });
    }

    /** Whether the tag ever pointed at {@code digest}. */
    public Future<Boolean> pointedAt(SqlConnection c, long repositoryId, String name, String digest) {
        return c.preparedQuery("SELECT 1 FROM tag_history WHERE repository_id = $1 AND name = $2 AND manifest_digest = $3 LIMIT 1")
                .execute(Tuple.of(repositoryId, name, digest)).map(rows -> rows.iterator().hasNext());
    }

    private static TagView view(Row row) {
        return new TagView(row.getString(0), row.getString(1), row.getString(2), row.getLong(3), instant(row.getOffsetDateTime(4)),
                instant(row.getOffsetDateTime(5)), instant(row.getOffsetDateTime(6)), instant(row.getOffsetDateTime(7)),
                row.getLong(8) == null ? Pulls.NONE : new Pulls(row.getLong(8), instant(row.getOffsetDateTime(9))));
    }

    private static Instant instant(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
