package io.berth.core.metadata;

import io.berth.core.auth.RepositoryFilter;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The repositories table, and the one place a repository's first push or creation meets its
 * namespace: it must exist, unless the {@link NamespacePolicy} lets the push create it.
 */
@Singleton
public class RepositoryRecords {
    private final NamespacePolicy namespaces;

    @Inject
    public RepositoryRecords(NamespacePolicy namespaces) {
        this.namespaces = namespaces;
    }

    /**
     * Finds the repository, creating it on first use in its namespace; a namespace that does not exist
     * is {@code NAME_UNKNOWN}, or is created as an organization when the policy says so.
     */
    public long ensure(Connection c, RepositoryName name) throws SQLException {
        Optional<Long> existing = findId(c, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        long namespaceId = namespaces.createOnPush() ? ensureNamespace(c, name.namespace()) : existingNamespace(c, name.namespace())
                .orElseThrow(() -> new RegistryException(OciErrorCode.NAME_UNKNOWN, "namespace " + name.namespace()
                        + " does not exist: create the organization first (POST /api/v1/organization/)"));
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

    /** Creates the namespace as an organization (the column's default kind) unless it exists. */
    private long ensureNamespace(Connection c, String namespace) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO namespaces (name) VALUES (?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, namespace);
            insert.executeUpdate();
        }
        return existingNamespace(c, namespace).orElseThrow(() -> new SQLException("namespace vanished while being created"));
    }

    private static Optional<Long> existingNamespace(Connection c, String namespace) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM namespaces WHERE name = ?")) {
            select.setString(1, namespace);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }
}
