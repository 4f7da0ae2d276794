package io.berth.core.account;

import io.berth.core.auth.Role;
import io.berth.core.metadata.Statements;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Namespaces, users and memberships in PostgreSQL. */
@Singleton
public class AccountRecords {

    public record NamespaceRow(long id, String name, String kind, String email, Instant createdAt) {
        public boolean isOrganization() {
            return "organization".equals(kind);
        }
    }

    public record UserRow(long id, String username, String email, boolean superuser, long namespaceId, Instant createdAt) {
    }

    public record MemberRow(String username, Role role, Instant since) {
    }

    public Optional<NamespaceRow> namespace(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, name, kind, email, created_at FROM namespaces WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new NamespaceRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant())) : Optional.empty();
            }
        }
    }

    /** Inserts a namespace; empty when the name is taken. */
    public Optional<Long> insertNamespace(Connection c, String name, String kind, String email) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO namespaces (name, kind, email) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
            insert.setString(1, name);
            insert.setString(2, kind);
            insert.setString(3, email);
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public boolean hasRepositories(Connection c, long namespaceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM repositories WHERE namespace_id = ? LIMIT 1")) {
            select.setLong(1, namespaceId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void deleteNamespace(Connection c, long namespaceId) throws SQLException {
        Statements.update(c, "DELETE FROM namespaces WHERE id = ?", namespaceId);
    }

    public void updateNamespaceEmail(Connection c, long namespaceId, String email) throws SQLException {
        Statements.update(c, "UPDATE namespaces SET email = ? WHERE id = ?", email, namespaceId);
    }

    public long insertUser(Connection c, String username, String email, String passwordHash, boolean superuser, long namespaceId)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (username, email, password_hash, superuser, namespace_id) "
                + "VALUES (?, ?, ?, ?, ?) RETURNING id")) {
            insert.setString(1, username);
            insert.setString(2, email);
            insert.setString(3, passwordHash);
            insert.setBoolean(4, superuser);
            insert.setLong(5, namespaceId);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Optional<UserRow> user(Connection c, String username) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, username, email, superuser, namespace_id, created_at FROM users WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(userRow(rs)) : Optional.empty();
            }
        }
    }

    public List<UserRow> users(Connection c, int limit, int offset) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, username, email, superuser, namespace_id, created_at FROM users ORDER BY username LIMIT ? OFFSET ?")) {
            select.setInt(1, limit);
            select.setInt(2, offset);
            List<UserRow> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(userRow(rs));
                }
            }
            return rows;
        }
    }

    public void updatePassword(Connection c, long userId, String passwordHash) throws SQLException {
        Statements.update(c, "UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userId);
    }

    public void deleteUser(Connection c, long userId) throws SQLException {
        Statements.update(c, "DELETE FROM users WHERE id = ?", userId);
    }

    public void setMember(Connection c, long namespaceId, long userId, Role role) throws SQLException {
        Statements.update(c, "INSERT INTO namespace_members (namespace_id, user_id, role) VALUES (?, ?, ?) "
                + "ON CONFLICT (namespace_id, user_id) DO UPDATE SET role = EXCLUDED.role", namespaceId, userId, role.wireName());
    }

    public boolean removeMember(Connection c, long namespaceId, long userId) throws SQLException {
        return Statements.update(c, "DELETE FROM namespace_members WHERE namespace_id = ? AND user_id = ?", namespaceId, userId) > 0;
    }

    public List<MemberRow> members(Connection c, long namespaceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT u.username, m.role, m.created_at FROM namespace_members m "
                + "JOIN users u ON u.id = m.user_id WHERE m.namespace_id = ? ORDER BY u.username")) {
            select.setLong(1, namespaceId);
            List<MemberRow> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new MemberRow(rs.getString(1), Role.parse(rs.getString(2)), rs.getTimestamp(3).toInstant()));
                }
            }
            return rows;
        }
    }

    private static UserRow userRow(ResultSet rs) throws SQLException {
        return new UserRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5),
                rs.getTimestamp(6).toInstant());
    }
}
