package io.berth.core.account;

import io.berth.core.auth.Role;
import io.berth.core.metadata.Statements;
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

/** Robot accounts and the repository roles granted to them. */
@Singleton
public class RobotRecords {

    public record RobotRow(long id, String namespace, String shortName, String description, String metadataJson,
            Instant createdAt, Instant lastUsedAt) {
        public String fullName() {
            return namespace + "+" + shortName;
        }
    }

    public record Grant(String repository, Role role) {
    }

    private static final String COLUMNS = "r.id, n.name, r.short_name, r.description, r.unstructured_metadata::text, "
            + "r.created_at, r.last_used_at FROM robots r JOIN namespaces n ON n.id = r.namespace_id ";

    /** Inserts a robot; empty when the namespace already has one of that name. */
    public Optional<Long> insert(Connection c, long namespaceId, String shortName, String description, String metadataJson,
            byte[] tokenHash) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO robots (namespace_id, short_name, description, "
                + "unstructured_metadata, token_hash) VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING RETURNING id")) {
            insert.setLong(1, namespaceId);
            insert.setString(2, shortName);
            insert.setString(3, description);
            insert.setString(4, metadataJson);
            insert.setBytes(5, tokenHash);
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public Optional<RobotRow> find(Connection c, long namespaceId, String shortName) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + "WHERE r.namespace_id = ? AND r.short_name = ?")) {
            select.setLong(1, namespaceId);
            select.setString(2, shortName);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public List<RobotRow> list(Connection c, long namespaceId, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + "WHERE r.namespace_id = ? ORDER BY r.short_name LIMIT ?")) {
            select.setLong(1, namespaceId);
            select.setInt(2, limit);
            List<RobotRow> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        }
    }

    public void replaceToken(Connection c, long robotId, byte[] tokenHash) throws SQLException {
        Statements.update(c, "UPDATE robots SET token_hash = ? WHERE id = ?", tokenHash, robotId);
    }

    public void delete(Connection c, long robotId) throws SQLException {
        Statements.update(c, "DELETE FROM robots WHERE id = ?", robotId);
    }

    public List<Grant> grants(Connection c, long robotId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT r.name, p.role FROM repository_permissions p "
                + "JOIN repositories r ON r.id = p.repository_id WHERE p.robot_id = ? ORDER BY r.name")) {
            select.setLong(1, robotId);
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    grants.add(new Grant(rs.getString(1), Role.parse(rs.getString(2))));
                }
            }
            return grants;
        }
    }

    private static RobotRow row(ResultSet rs) throws SQLException {
        Timestamp lastUsed = rs.getTimestamp(7);
        return new RobotRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant(), lastUsed == null ? null : lastUsed.toInstant());
    }
}
