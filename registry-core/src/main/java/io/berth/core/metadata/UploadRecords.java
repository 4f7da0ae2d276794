package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The uploads table: sessions any node can continue. */
@Singleton
public class UploadRecords {

    public void create(Connection c, UUID id, long repositoryId, DigestAlgorithm algorithm) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO uploads (id, repository_id, digest_algorithm) VALUES (?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setLong(2, repositoryId);
            insert.setString(3, algorithm.prefix());
            insert.executeUpdate();
        }
    }

    /**
     * Opens session {@code id} in the repository named {@code repository} with one statement, and
     * answers the repository's id; empty when the repository does not exist yet.
     */
    public Optional<Long> createIn(Connection c, UUID id, String repository, DigestAlgorithm algorithm) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO uploads (id, repository_id, digest_algorithm)"
                + " SELECT ?, id, ? FROM repositories WHERE name = ? RETURNING repository_id")) {
            insert.setObject(1, id);
            insert.setString(2, algorithm.prefix());
            insert.setString(3, repository);
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The session {@code id} of the repository named {@code repository}; empty when there is no such session there. */
    public Optional<UploadSession> find(Connection c, UUID id, String repository) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT u.repository_id, u.received, u.digest_algorithm FROM uploads u"
                + " JOIN repositories r ON r.id = u.repository_id WHERE u.id = ? AND r.name = ?")) {
            select.setObject(1, id);
            select.setString(2, repository);
            return session(select, id);
        }
    }

    /** The session a statement selecting its repository id, received length and algorithm found. */
    private static Optional<UploadSession> session(PreparedStatement statement, UUID id) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(new UploadSession(id, rs.getLong(1), rs.getLong(2),
                    DigestAlgorithm.byPrefix(rs.getString(3)).orElseThrow())) : Optional.empty();
        }
    }

    /**
     * Claims session {@code id} of the repository named {@code repository} for one request, in one
     * statement when it is free: the row lock makes concurrent claims queue, and each one after the
     * first finds the session claimed (or, once the first completed it, gone). Empty when the session
     * is held by another request or does not exist. A claim outlives its request only when the node
     * serving it dies; the session is then refused as busy until it is purged as stale.
     */
    public Optional<UploadSession> claim(Connection c, UUID id, String repository) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE uploads u SET claimed_at = now(), updated_at = now()"
                + " FROM repositories r WHERE u.id = ? AND r.id = u.repository_id AND r.name = ? AND u.claimed_at IS NULL"
                + " RETURNING u.repository_id, u.received, u.digest_algorithm")) {
            update.setObject(1, id);
            update.setString(2, repository);
            return session(update, id);
        }
    }

    /** Gives a claimed session back as it was: its request failed before moving it on. */
    public void release(Connection c, UUID id) throws SQLException {
        Statements.update(c, "UPDATE uploads SET claimed_at = NULL WHERE id = ?", id);
    }

    /**
     * Moves the acknowledged length of a claimed session from {@code from} to {@code to}, releasing it
     * when {@code release}; false when the session is gone (purged meanwhile), so the chunk does not
     * count.
     */
    public boolean advance(Connection c, UUID id, long from, long to, boolean release) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE uploads SET received = ?, updated_at = now(),"
                + " claimed_at = CASE WHEN ? THEN NULL ELSE claimed_at END WHERE id = ? AND received = ?")) {
            update.setLong(1, to);
            update.setBoolean(2, release);
            update.setObject(3, id);
            update.setLong(4, from);
            return update.executeUpdate() == 1;
        }
    }

    /** Deletes session {@code id} of the repository named {@code repository} unless a request holds it. */
    public boolean deleteUnclaimed(Connection c, UUID id, String repository) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM uploads u USING repositories r"
                + " WHERE u.id = ? AND r.id = u.repository_id AND r.name = ? AND u.claimed_at IS NULL")) {
            delete.setObject(1, id);
            delete.setString(2, repository);
            return delete.executeUpdate() > 0;
        }
    }

    /**
     * Deletes up to {@code limit} sessions untouched for {@code ageMillis} and returns their ids.
     * SKIP LOCKED lets every node purge at once without waiting on each other.
     */
    public List<UUID> deleteStale(Connection c, long ageMillis, int limit) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM uploads WHERE id IN (SELECT id FROM uploads"
                        + " WHERE updated_at < now() - ? * interval '1 millisecond'"
                        + " ORDER BY updated_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING id")) {
            delete.setLong(1, ageMillis);
            delete.setInt(2, limit);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /**
     * Ends session {@code id} by making its content a blob of its repository: records the blob (when
     * new) and the repository's link to it, and deletes the session row. One statement, so it commits
     * whole or not at all without a transaction around it.
     */
    public void completeAs(Connection c, UUID id, long repositoryId, Digest digest, long size) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement("""
                WITH blob AS (INSERT INTO blobs (digest, size) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING),
                     link AS (INSERT INTO repository_blobs (repository_id, digest) VALUES (?, ?) ON CONFLICT DO NOTHING)
                DELETE FROM uploads WHERE id = ?""")) {
            statement.setString(1, digest.toString());
            statement.setLong(2, size);
            statement.setLong(3, repositoryId);
            statement.setString(4, digest.toString());
            statement.setObject(5, id);
            statement.executeUpdate();
        }
    }

    public boolean delete(Connection c, UUID id) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
            delete.setObject(1, id);
            return delete.executeUpdate() > 0;
        }
    }
}
