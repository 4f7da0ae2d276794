package io.berth.core.tag;

import io.berth.core.metadata.ManifestSize;
import io.berth.core.paging.Like;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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

    private static final String ACTIVE = "SELECT t.name, m.digest, m.media_type, " + SIZE + ", t.updated_at, t.expires_at,"
            + " h.started_at, NULL::timestamptz"
            + " FROM tags t JOIN manifests m ON m.id = t.manifest_id"
            + " LEFT JOIN tag_history h ON h.repository_id = t.repository_id AND h.name = t.name AND h.ended_at IS NULL"
            + " WHERE t.repository_id = ? AND (t.expires_at IS NULL OR t.expires_at > now())";

    private static final String HISTORY = "SELECT h.name, h.manifest_digest, m.media_type, COALESCE(" + SIZE + ", 0),"
            + " COALESCE(h.ended_at, t.updated_at, h.started_at), t.expires_at, h.started_at, h.ended_at"
            + " FROM tag_history h"
            + " LEFT JOIN manifests m ON m.repository_id = h.repository_id AND m.digest = h.manifest_digest"
            + " LEFT JOIN tags t ON h.ended_at IS NULL AND t.repository_id = h.repository_id AND t.name = h.name"
            + " WHERE h.repository_id = ?";

    public Page list(Connection c, long repositoryId, TagQuery query) throws SQLException {
        String alias = query.onlyActive() ? "t" : "h";
        StringBuilder sql = new StringBuilder(query.onlyActive() ? ACTIVE : HISTORY);
        if (query.nameContains() != null) {
            sql.append(" AND ").append(alias).append(".name LIKE ? ESCAPE '\\'");
        }
        if (query.nameEquals() != null) {
            sql.append(" AND ").append(alias).append(".name = ?");
        }
        sql.append(query.onlyActive() ? " ORDER BY t.name" : " ORDER BY h.name, h.started_at DESC, h.id DESC").append(" LIMIT ? OFFSET ?");
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            int parameter = 1;
            select.setLong(parameter++, repositoryId);
            if (query.nameContains() != null) {
                select.setString(parameter++, Like.containing(query.nameContains()));
            }
            if (query.nameEquals() != null) {
                select.setString(parameter++, query.nameEquals());
            }
            select.setInt(parameter++, query.limit() + 1);
            select.setInt(parameter, query.offset());
            List<TagView> tags = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    tags.add(view(rs));
                }
            }
            boolean more = tags.size() > query.limit();
            return new Page(more ? tags.subList(0, query.limit()) : tags, more);
        }
    }

    /** The live tag {@code name}, if there is one. */
    public Optional<TagView> active(Connection c, long repositoryId, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(ACTIVE + " AND t.name = ?")) {
            select.setLong(1, repositoryId);
            select.setString(2, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** Whether the tag ever pointed at {@code digest}. */
    public boolean pointedAt(Connection c, long repositoryId, String name, String digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM tag_history WHERE repository_id = ? AND name = ? AND manifest_digest = ? LIMIT 1")) {
            select.setLong(1, repositoryId);
            select.setString(2, name);
            select.setString(3, digest);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static TagView view(ResultSet rs) throws SQLException {
        return new TagView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), instant(rs.getTimestamp(5)),
                instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
