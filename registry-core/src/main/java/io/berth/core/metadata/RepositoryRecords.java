package io.berth.core.metadata;

import io.berth.core.auth.RepositoryFilter;
import io.berth.core.domain.RepositoryName;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The repositories table (and the namespaces a first push creates implicitly). */
@Singleton
public class RepositoryRecords {

    /** Finds the repository, creating it and its namespace on first use. */
    public long ensure(Connection c, RepositoryName name) throws SQLException {
        Optional<Long> existing = findId(c, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        long namespaceId = ensureNamespace(c, name.namespace());
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO repositories (namespace_id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setLong(1, namespaceId);
            insert.setString(2, name.value());
            insert.executeUpdate();
        }
        return findId(c, name).orElseThrow(() -> new SQLException("repository vanished while being created"));
    }

    public Optional<Long> findId(Connection c, RepositoryName name) throws SQLException {
        return column(c, "id", name);
    }

    /** The id of the namespace the repository belongs to. */
    public Optional<Long> namespaceOf(Connection c, RepositoryName name) throws SQLException {
        return column(c, "namespace_id", name);
    }

    private static Optional<Long> column(Connection c, String column, RepositoryName name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + column + " FROM repositories WHERE name = ?")) {
            select.setString(1, name.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Names of repositories {@code visible} admits after {@code after} in lexical order, at most {@code limit}. */
    public List<String> names(Connection c, RepositoryFilter visible, String after, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT r.name FROM repositories r WHERE r.name > ? AND " + visible.sqlCondition("r") + " ORDER BY r.name LIMIT ?")) {
            int parameter = 1;
            select.setString(parameter++, after == null ? "" : ClientText.orderBound(after));
            if (!visible.everything()) {
                select.setArray(parameter++, c.createArrayOf("bigint", visible.namespaceArray()));
                select.setArray(parameter++, c.createArrayOf("bigint", visible.repositoryArray()));
            }
            select.setInt(parameter, limit);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    private long ensureNamespace(Connection c, String namespace) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO namespaces (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, namespace);
            insert.executeUpdate();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM namespaces WHERE name = ?")) {
            select.setString(1, namespace);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("namespace vanished while being created");
                }
                return rs.getLong(1);
            }
        }
    }
}
