package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;

/** The blobs table and the repository links that decide which repository may serve which blob. */
@Singleton
public class BlobRecords {

    public void link(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO repository_blobs (repository_id, digest) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setLong(1, repositoryId);
            insert.setString(2, digest.toString());
            insert.executeUpdate();
        }
    }

    /** The blob's size when the repository links it; empty otherwise. */
    public OptionalLong linkedSize(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT b.size FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                        + " WHERE rb.repository_id = ? AND rb.digest = ? AND b.state = 'present'")) {
            select.setLong(1, repositoryId);
            select.setString(2, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Whether any repository links the blob. */
    public boolean linkedAnywhere(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                + " WHERE rb.digest = ? AND b.state = 'present' LIMIT 1")) {
            select.setString(1, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    public boolean unlink(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM repository_blobs WHERE repository_id = ? AND digest = ?")) {
            delete.setLong(1, repositoryId);
            delete.setString(2, digest.toString());
            return delete.executeUpdate() > 0;
        }
    }

    /**
     * Of {@code digests}, the sizes of those the repository links and that are not being deleted; the
     * others are absent from the answer. The links and blob rows found are locked FOR SHARE, so a
     * concurrent unlink or collection waits until the referencing manifest has committed; a
     * collection that got there first has marked the blob {@code deleting}, which PostgreSQL
     * re-checks after the wait, so the blob then counts as absent.
     */
    public Map<Digest, Long> linkedSizes(Connection c, long repositoryId, Collection<Digest> digests) throws SQLException {
        return DigestLookup.sizes(c,
                "SELECT rb.digest, b.size FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                        + " WHERE rb.repository_id = ? AND rb.digest = ANY (?) AND b.state = 'present' FOR SHARE",
                repositoryId, digests);
    }

    /**
     * Whether the blob is stored and not being deleted, its row then locked FOR SHARE so that no
     * collection can mark it until the transaction ends.
     */
    public boolean lockPresent(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM blobs WHERE digest = ? AND state = 'present' FOR SHARE")) {
            select.setString(1, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether the blob's row is marked for deletion (its bytes may be gone or going). */
    public boolean deleting(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM blobs WHERE digest = ? AND state = 'deleting'")) {
            select.setString(1, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }
}
