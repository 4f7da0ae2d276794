package io.berth.core.image;

import io.berth.core.metadata.ManifestSize;
import io.berth.core.metadata.Statements;
import io.berth.core.paging.Like;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
            long size, Instant createdAt, boolean configRead, String os, String architecture, String variant) {
    }

    /** A page, with how many manifests the repository has ({@code totalCount}) and how many of them the search matches. */
    public record Page(List<Row> rows, long totalCount, long filteredCount) {
    }

    private static final String COLUMNS = "SELECT m.id, m.digest, m.media_type, m.artifact_type, m.config_digest, m.payload,"
            + " ARRAY(SELECT t.name FROM tags t WHERE t.manifest_id = m.id AND (t.expires_at IS NULL OR t.expires_at > now())"
            + " ORDER BY t.name), " + ManifestSize.SQL + ", m.created_at, m.config_read, m.config_os, m.config_architecture,"
            + " m.config_variant FROM manifests m WHERE m.repository_id = ?";
    private static final String SEARCH = "(m.digest LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id"
            + " AND t.name LIKE ? ESCAPE '\\'))";

    public Page list(Connection c, long repositoryId, String search, int limit, int offset) throws SQLException {
        boolean searching = search != null && !search.isEmpty();
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(COLUMNS + (searching ? " AND " + SEARCH : "")
                + " ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?")) {
            select.setLong(1, repositoryId);
            int parameter = bindSearch(select, 2, searching ? search : null);
            select.setInt(parameter++, limit);
            select.setInt(parameter, offset);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        try (PreparedStatement count = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE " + (searching ? SEARCH : "TRUE")
                + ") FROM manifests m WHERE m.repository_id = ?")) {
            int parameter = bindSearch(count, 1, searching ? search : null);
            count.setLong(parameter, repositoryId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return new Page(rows, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    public Optional<Row> find(Connection c, long repositoryId, String digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(COLUMNS + " AND m.digest = ?")) {
            select.setLong(1, repositoryId);
            select.setString(2, digest);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Keeps the platform read from a manifest's config. */
    public void recordPlatform(Connection c, long manifestId, String os, String architecture, String variant) throws SQLException {
        Statements.update(c, "UPDATE manifests SET config_os = ?, config_architecture = ?, config_variant = ?, config_read = true"
                + " WHERE id = ?", os, architecture, variant, manifestId);
    }

    /** Binds the search's two parameters from {@code parameter} (none without a search); answers the next index. */
    private static int bindSearch(PreparedStatement statement, int parameter, String search) throws SQLException {
        if (search != null) {
            statement.setString(parameter++, Like.containing(search));
            statement.setString(parameter++, Like.containing(search));
        }
        return parameter;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBytes(6),
                Arrays.asList((String[]) rs.getArray(7).getArray()), rs.getLong(8), rs.getTimestamp(9).toInstant(), rs.getBoolean(10),
                rs.getString(11), rs.getString(12), rs.getString(13));
    }
}
