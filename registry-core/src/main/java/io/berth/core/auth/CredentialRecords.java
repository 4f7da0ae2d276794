package io.berth.core.auth;

import io.berth.core.metadata.ClientText;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reads the stored credentials of users, robots and access tokens, and turns rows into principals. */
@Singleton
public class CredentialRecords {

    /** A user row with its password hash, for checking a password. */
    public record StoredUser(Principal.User principal, String passwordHash) {
    }

    public record StoredRobot(Principal.Robot principal, byte[] tokenHash) {
    }

    public record StoredToken(Principal.Token principal, byte[] secretHash, boolean revoked) {
    }

    public Optional<StoredUser> userByName(Connection c, String username) throws SQLException {
        if (!ClientText.storable(username)) {
            return Optional.empty();
        }
        return user(c, "username = ?", ps -> ps.setString(1, username));
    }

    public Optional<StoredUser> userById(Connection c, long id) throws SQLException {
        return user(c, "id = ?", ps -> ps.setLong(1, id));
    }

    public Optional<StoredRobot> robotByName(Connection c, String namespace, String shortName) throws SQLException {
        if (!ClientText.storable(namespace) || !ClientText.storable(shortName)) {
            return Optional.empty();
        }
        return robot(c, "n.name = ? AND r.short_name = ?", ps -> {
            ps.setString(1, namespace);
            ps.setString(2, shortName);
        });
    }

    public Optional<StoredRobot> robotById(Connection c, long id) throws SQLException {
        return robot(c, "r.id = ?", ps -> ps.setLong(1, id));
    }

    public Optional<StoredToken> tokenById(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT t.user_id, t.secret_hash, t.expires_at, t.all_namespaces, t.read_write, t.revoked_at IS NOT NULL,
                       ARRAY(SELECT namespace_id FROM access_token_namespaces WHERE token_id = t.id)
                FROM access_tokens t WHERE t.id = ?""")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long userId = rs.getLong(1);
                byte[] secretHash = rs.getBytes(2);
                Timestamp expires = rs.getTimestamp(3);
                boolean all = rs.getBoolean(4);
                boolean readWrite = rs.getBoolean(5);
                boolean revoked = rs.getBoolean(6);
                Set<Long> namespaces = longs(rs.getArray(7));
                Optional<StoredUser> owner = userById(c, userId);
                if (owner.isEmpty()) {
                    return Optional.empty();
                }
                Principal.Token token = new Principal.Token(id, owner.get().principal(), readWrite, all, Set.copyOf(namespaces),
                        expires == null ? null : expires.toInstant(), "token:" + id + ":" + Secrets.fingerprint(secretHash));
                return Optional.of(new StoredToken(token, secretHash, revoked));
            }
        }
    }

    /** Records that a robot or token was used (callers limit how often). */
    public void touch(Connection c, String credentialId, Instant when) throws SQLException {
        String[] parts = credentialId.split(":");
        String sql = switch (parts[0]) {
            case "robot" -> "UPDATE robots SET last_used_at = ? WHERE id = ?::bigint";
            case "token" -> "UPDATE access_tokens SET last_used_at = ? WHERE id = ?::uuid";
            default -> null;
        };
        if (sql == null) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(sql)) {
            update.setTimestamp(1, Timestamp.from(when));
            update.setString(2, parts[1]);
            update.executeUpdate();
        }
    }

    private Optional<StoredUser> user(Connection c, String where, Binder binder) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, username, namespace_id, superuser, password_hash FROM users WHERE " + where)) {
            binder.bind(select);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String hash = rs.getString(5);
                String credential = "user:" + rs.getLong(1) + ":" + Secrets.fingerprint(hash.getBytes(StandardCharsets.UTF_8));
                return Optional.of(new StoredUser(
                        new Principal.User(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4), credential), hash));
            }
        }
    }

    private Optional<StoredRobot> robot(Connection c, String where, Binder binder) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT r.id, r.namespace_id, n.name, r.short_name, r.token_hash
                FROM robots r JOIN namespaces n ON n.id = r.namespace_id WHERE """ + " " + where)) {
            binder.bind(select);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] hash = rs.getBytes(5);
                String credential = "robot:" + rs.getLong(1) + ":" + Secrets.fingerprint(hash);
                return Optional.of(new StoredRobot(
                        new Principal.Robot(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), credential), hash));
            }
        }
    }

    private static Set<Long> longs(Array array) throws SQLException {
        Set<Long> values = new HashSet<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add(((Number) value).longValue());
        }
        return values;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
