package io.berth.core.repository;

import io.berth.core.auth.RepositoryFilter;
import io.berth.core.paging.Like;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Repositories as the management API lists them, with their kind, size and last change, a page at a time. */
@Singleton
public class RepositoryCatalog {

    /**
     * A page, and the Container Registry API's two counts: {@code totalCount} the repositories in the
     * listing's scope (visible, in the namespace asked for), {@code filteredCount} those of them the
     * search matches.
     */
    public record Page(List<RepositoryView> repositories, long totalCount, long filteredCount) {
    }

    /** Newest manifest first for the kind; size counts each linked blob once, plus manifest payloads. */
    private static final String VIEW = """
            SELECT n.name, r.name, r.description, r.visibility, r.state, r.created_at,
                   GREATEST(r.updated_at, (SELECT max(t.updated_at) FROM tags t WHERE t.repository_id = r.id)) AS last_modified,
                   newest.config_media_type, newest.artifact_type,
                   COALESCE((SELECT sum(b.size) FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest
                             WHERE rb.repository_id = r.id), 0)
                   + COALESCE((SELECT sum(length(m.payload)) FROM manifests m WHERE m.repository_id = r.id), 0) AS size
            FROM repositories r
            JOIN namespaces n ON n.id = r.namespace_id
            LEFT JOIN LATERAL (SELECT m.config_media_type, m.artifact_type FROM manifests m WHERE m.repository_id = r.id
                               ORDER BY m.created_at DESC, m.id DESC LIMIT 1) newest ON TRUE
            """;

    private static final String SEARCH = "r.name ILIKE ? ESCAPE '\\'";

    public Optional<RepositoryView> find(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(VIEW + " WHERE r.name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** The page of repositories {@code visible} admits that match {@code query} (its public flag is the caller's to apply to the filter). */
    public Page list(Connection c, RepositoryFilter visible, RepositoryQuery query) throws SQLException {
        boolean searching = query.search() != null && !query.search().isEmpty();
        String scope = " WHERE " + visible.sqlCondition("r") + (query.namespace() != null ? " AND n.name = ?" : "");
        List<RepositoryView> repositories = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(VIEW + scope + (searching ? " AND " + SEARCH : "") + " ORDER BY "
                + query.sortField().column + (query.descending() ? " DESC" : " ASC") + ", r.name LIMIT ? OFFSET ?")) {
            int parameter = bindScope(c, select, 1, visible, query);
            if (searching) {
                select.setString(parameter++, Like.containing(query.search()));
            }
            select.setInt(parameter++, query.limit());
            select.setInt(parameter, query.offset());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    repositories.add(view(rs));
                }
            }
        }
        try (PreparedStatement count = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE " + (searching ? SEARCH : "TRUE")
                + ") FROM repositories r JOIN namespaces n ON n.id = r.namespace_id" + scope)) {
            int parameter = 1;
            if (searching) {
                count.setString(parameter++, Like.containing(query.search()));
            }
            bindScope(c, count, parameter, visible, query);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return new Page(repositories, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** Binds the listing's scope (what the caller sees, the namespace) from {@code parameter}; answers the next index. */
    private static int bindScope(Connection c, PreparedStatement statement, int parameter, RepositoryFilter visible, RepositoryQuery query)
            throws SQLException {
        if (!visible.everything()) {
            statement.setArray(parameter++, c.createArrayOf("bigint", visible.namespaceArray()));
            statement.setArray(parameter++, c.createArrayOf("bigint", visible.repositoryArray()));
        }
        if (query.namespace() != null) {
            statement.setString(parameter++, query.namespace());
        }
        return parameter;
    }

    private static RepositoryView view(ResultSet rs) throws SQLException {
        Timestamp lastModified = rs.getTimestamp(7);
        return new RepositoryView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                RepositoryKind.of(rs.getString(8), rs.getString(9)), rs.getLong(10), rs.getTimestamp(6).toInstant(),
                lastModified == null ? rs.getTimestamp(6).toInstant() : lastModified.toInstant());
    }
}
