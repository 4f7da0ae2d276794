package io.berth.core.accesstoken;

import io.berth.core.metadata.Statements;
import io.berth.core.paging.Like;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Access tokens of users, with the namespaces they are limited to. */
@Singleton
public class AccessTokenRecords {

    /** A page of tokens and how many match in all. */
    public record Page(List<AccessTokenView> tokens, long totalCount) {
    }

    private static final String VIEW_COLUMNS = """
            t.id, t.name, t.created_at, t.last_used_at, t.expires_at, t.all_namespaces, t.read_write, t.revoked_at,
            ARRAY(SELECT n.name FROM access_token_namespaces tn JOIN namespaces n ON n.id = tn.namespace_id
                  WHERE tn.token_id = t.id ORDER BY n.name)""";

    public void insert(Connection c, UUID id, long userId, String name, byte[] secretHash, Instant expiresAt,
            boolean allNamespaces, boolean readWrite) throws SQLException {
        Statements.update(c, "INSERT INTO access_tokens (id, user_id, name, secret_hash, expires_at, all_namespaces, read_write) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, userId, name, secretHash, expiresAt == null ? null : Timestamp.from(expiresAt),
                allNamespaces, readWrite);
    }

    public void replaceNamespaces(Connection c, UUID id, Collection<Long> namespaceIds) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM access_token_namespaces WHERE token_id = ?")) {
            delete.setObject(1, id);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO access_token_namespaces (token_id, namespace_id) VALUES (?, ?)")) {
            for (long namespaceId : namespaceIds) {
                insert.setObject(1, id);
                insert.setLong(2, namespaceId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The owner's token {@code id}, locked for update when {@code lock}. */
    public Optional<AccessTokenView> find(Connection c, long userId, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + VIEW_COLUMNS + " FROM access_tokens t WHERE t.id = ? AND t.user_id = ?"
                + (lock ? " FOR UPDATE OF t" : ""))) {
            select.setObject(1, id);
            select.setLong(2, userId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** The stored hash of the owner's token {@code id}'s secret. */
    public Optional<byte[]> secretHash(Connection c, long userId, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT secret_hash FROM access_tokens WHERE id = ? AND user_id = ?")) {
            select.setObject(1, id);
            select.setLong(2, userId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    public Page list(Connection c, long userId, AccessTokenQuery query) throws SQLException {
        boolean searching = query.search() != null && !query.search().isEmpty();
        String where = " FROM access_tokens t WHERE t.user_id = ?"
                + (searching ? " AND t.name ILIKE ? ESCAPE '\\'" : "")
                + (query.readWrite() != null ? " AND t.read_write = ?" : "");
        String order = " ORDER BY " + query.sortField().column + (query.descending() ? " DESC NULLS LAST" : " ASC NULLS LAST")
                + ", t.id LIMIT ? OFFSET ?";
        List<AccessTokenView> tokens = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT " + VIEW_COLUMNS + where + order)) {
            int parameter = bindFilters(select, userId, query);
            select.setInt(parameter++, query.limit());
            select.setInt(parameter, query.offset());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    tokens.add(view(rs));
                }
            }
        }
        try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*)" + where)) {
            bindFilters(count, userId, query);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return new Page(tokens, rs.getLong(1));
            }
        }
    }

    /** Binds the owner and filters of {@link #list}; answers the next parameter index. */
    private static int bindFilters(PreparedStatement statement, long userId, AccessTokenQuery query) throws SQLException {
        int parameter = 1;
        statement.setLong(parameter++, userId);
        if (query.search() != null && !query.search().isEmpty()) {
            statement.setString(parameter++, Like.containing(query.search()));
        }
        if (query.readWrite() != null) {
            statement.setBoolean(parameter++, query.readWrite());
        }
        return parameter;
    }

    public void update(Connection c, UUID id, String name, Instant expiresAt, boolean allNamespaces, boolean readWrite) throws SQLException {
        Statements.update(c, "UPDATE access_tokens SET name = ?, expires_at = ?, all_namespaces = ?, read_write = ? WHERE id = ?",
                name, expiresAt == null ? null : Timestamp.from(expiresAt), allNamespaces, readWrite, id);
    }

    public void replaceSecret(Connection c, UUID id, byte[] secretHash) throws SQLException {
        Statements.update(c, "UPDATE access_tokens SET secret_hash = ? WHERE id = ?", secretHash, id);
    }

    public void revoke(Connection c, UUID id) throws SQLException {
        Statements.update(c, "UPDATE access_tokens SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", id);
    }

    private static AccessTokenView view(ResultSet rs) throws SQLException {
        Instant expires = instant(rs.getTimestamp(5));
        Instant revoked = instant(rs.getTimestamp(8));
        AccessTokenView.Status status = revoked != null ? AccessTokenView.Status.REVOKED
                : expires != null && !Instant.now().isBefore(expires) ? AccessTokenView.Status.EXPIRED
                : AccessTokenView.Status.ACTIVE;
        Array names = rs.getArray(9);
        return new AccessTokenView((UUID) rs.getObject(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
                expires, rs.getBoolean(6), rs.getBoolean(7), Arrays.asList((String[]) names.getArray()), status, null);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
