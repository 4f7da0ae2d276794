package io.berth.core.auth;

import io.berth.core.concurrent.Futures;
import io.berth.core.metadata.ClientText;
import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Iterator;
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

    public Future<Optional<StoredUser>> userByName(SqlConnection c, String username) {
        if (!ClientText.storable(username)) {
            return Future.succeededFuture(Optional.empty());
        }
        return user(c, "username = $1", Tuple.of(username));
    }

    public Future<Optional<StoredUser>> userById(SqlConnection c, long id) {
        return user(c, "id = $1", Tuple.of(id));
    }

    public Future<Optional<StoredRobot>> robotByName(SqlConnection c, String namespace, String shortName) {
        if (!ClientText.storable(namespace) || !ClientText.storable(shortName)) {
            return Future.succeededFuture(Optional.empty());
        }
        return robot(c, "n.name = $1 AND r.short_name = $2", Tuple.of(namespace, shortName));
    }

    public Future<Optional<StoredRobot>> robotById(SqlConnection c, long id) {
        return robot(c, "r.id = $1", Tuple.of(id));
    }

    public Future<Optional<StoredToken>> tokenById(SqlConnection c, UUID id) {
        return c.preparedQuery("""
                SELECT t.user_id, t.secret_hash, t.expires_at, t.all_namespaces, t.read_write, t.revoked_at IS NOT NULL,
                       ARRAY(SELECT namespace_id FROM access_token_namespaces WHERE token_id = t.id)
                FROM access_tokens t WHERE t.id = $1""").execute(Tuple.of(id)).compose(rows -> {
            Row row = first(rows);
            if (row == null) {
                return Future.succeededFuture(Optional.empty());
            }
            byte[] secretHash = row.getBuffer(1).getBytes();
            OffsetDateTime expires = row.getOffsetDateTime(2);
            boolean all = row.getBoolean(3);
            boolean readWrite = row.getBoolean(4);
            boolean revoked = row.getBoolean(5);
            Set<Long> namespaces = Set.copyOf(Arrays.asList(row.getArrayOfLongs(6)));
            return userById(c, row.getLong(0)).map(owner -> owner.map(user -> {
                Principal.Token token = new Principal.Token(id, user.principal(), readWrite, all, namespaces,
                        expires == null ? null : expires.toInstant(), "token:" + id + ":" + Secrets.fingerprint(secretHash));
                return new StoredToken(token, secretHash, revoked);
            }));
        });
    }

    /** Records that a robot or token was used (callers limit how often). */
    public Future<Void> touch(SqlConnection c, String credentialId, Instant when) {
        return Futures.attempt(() -> {
            String[] parts = credentialId.split(":");
            OffsetDateTime at = when.atOffset(ZoneOffset.UTC);
            return switch (parts[0]) {
                case "robot" -> Statements.update(c, "UPDATE robots SET last_used_at = $1 WHERE id = $2", at, Long.parseLong(parts[1]))
                        .mapEmpty();
                case "token" -> Statements.update(c, "UPDATE access_tokens SET last_used_at = $1 WHERE id = $2", at,
                        UUID.fromString(parts[1])).mapEmpty();
                default -> Future.succeededFuture();
            };
        });
    }

    private static Future<Optional<StoredUser>> user(SqlConnection c, String where, Tuple parameters) {
        return c.preparedQuery("SELECT id, username, namespace_id, superuser, password_hash FROM users WHERE " + where)
                .execute(parameters).map(rows -> {
                    Row row = first(rows);
                    if (row == null) {
                        return Optional.empty();
                    }
                    String hash = row.getString(4);
                    String credential = "user:" + row.getLong(0) + ":" + Secrets.fingerprint(hash.getBytes(StandardCharsets.UTF_8));
                    return Optional.of(new StoredUser(
                            new Principal.User(row.getLong(0), row.getString(1), row.getLong(2), row.getBoolean(3), credential), hash));
                });
    }

    private static Future<Optional<StoredRobot>> robot(SqlConnection c, String where, Tuple parameters) {
        return c.preparedQuery("""
                SELECT r.id, r.namespace_id, n.name, r.short_name, r.token_hash
                FROM robots r JOIN namespaces n ON n.id = r.namespace_id WHERE """ + " " + where).execute(parameters).map(rows -> {
                    Row row = first(rows);
                    if (row == null) {
                        return Optional.empty();
                    }
                    byte[] hash = row.getBuffer(4).getBytes();
                    String credential = "robot:" + row.getLong(0) + ":" + Secrets.fingerprint(hash);
                    return Optional.of(new StoredRobot(
                            new Principal.Robot(row.getLong(0), row.getLong(1), row.getString(2), row.getString(3), credential), hash));
                });
    }

    private static Row first(RowSet<Row> rows) {
        Iterator<Row> iterator = rows.iterator();
        return iterator.hasNext() ? iterator.next() : null;
    }
}
