package io.berth.core.account;

import io.berth.core.paging.Like;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Organizations with their sizes, a page at a time. */
@Singleton
public class OrganizationCatalog {

    public record Page(List<OrganizationView> organizations, long totalCount) {
    }

    public enum SortField {
        NAME("n.name"), CREATED_AT("n.created_at"), SIZE("size");

        final String column;

        SortField(String column) {
            this.column = column;
        }

        public static SortField parse(String value) {
            return switch (value == null ? "name" : value) {
                case "name" -> NAME;
                case "createdAt" -> CREATED_AT;
                case "size" -> SIZE;
                default -> throw io.berth.core.error.ManagementException.badRequest("sort_field must be one of name, createdAt, size");
            };
        }
    }

    private static final String VIEW = """
            SELECT n.name, n.email, n.created_at,
                   (SELECT count(*) FROM repositories r WHERE r.namespace_id = n.id),
                   COALESCE((SELECT sum(b.size) FROM blobs b WHERE b.digest IN (
                       SELECT rb.digest FROM repository_blobs rb JOIN repositories r ON r.id = rb.repository_id
                       WHERE r.namespace_id = n.id)), 0)
                   + COALESCE((SELECT sum(length(m.payload)) FROM manifests m JOIN repositories r ON r.id = m.repository_id
                               WHERE r.namespace_id = n.id), 0) AS size,
                   n.size_limit
            FROM namespaces n WHERE n.kind = 'organization'""";

    public Optional<OrganizationView> find(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(VIEW + " AND n.name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** Organizations {@code memberId} belongs to (all when null), matching {@code search}. */
    public Page list(Connection c, Long memberId, String search, SortField sortField, boolean descending, int limit, int offset)
            throws SQLException {
        boolean searching = search != null && !search.isEmpty();
        String where = (memberId == null ? "" : " AND n.id IN (SELECT namespace_id FROM namespace_members WHERE user_id = ?)")
                + (searching ? " AND n.name LIKE ? ESCAPE '\\'" : "");
        List<OrganizationView> organizations = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(VIEW + where + " ORDER BY " + sortField.column
                + (descending ? " DESC" : " ASC") + ", n.name LIMIT ? OFFSET ?")) {
            int parameter = bind(select, memberId, searching ? search : null);
            select.setInt(parameter++, limit);
            select.setInt(parameter, offset);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    organizations.add(view(rs));
                }
            }
        }
        try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM namespaces n WHERE n.kind = 'organization'" + where)) {
            bind(count, memberId, searching ? search : null);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return new Page(organizations, rs.getLong(1));
            }
        }
    }

    private static int bind(PreparedStatement statement, Long memberId, String search) throws SQLException {
        int parameter = 1;
        if (memberId != null) {
            statement.setLong(parameter++, memberId);
        }
        if (search != null) {
            statement.setString(parameter++, Like.containing(search));
        }
        return parameter;
    }

    private static OrganizationView view(ResultSet rs) throws SQLException {
        long limit = rs.getLong(6);
        Long sizeLimit = rs.wasNull() ? null : limit;
        return new OrganizationView(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getLong(4), rs.getLong(5),
                sizeLimit);
    }
}
