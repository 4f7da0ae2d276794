package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;

/** The blobs table and the repository links that decide which repository may serve which blob. */
@Singleton
public class BlobRecords {

    public void insertIfAbsent(Connection c, Digest digest, long size) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO blobs (digest, size) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING")) {
            insert.setString(1, digest.toString());
            insert.setLong(2, size);
            insert.executeUpdate();
        }
    }

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
                        + " WHERE rb.repository_id = ? AND rb.digest = ?")) {
            select.setLong(1, repositoryId);
            select.setString(2, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Whether any repository links the blob. */
    public boolean linkedAnywhere(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM repository_blobs WHERE digest = ? LIMIT 1")) {
            select.setString(1, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The blob's size when any repository holds it; empty otherwise. */
    public OptionalLong size(Connection c, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT size FROM blobs WHERE digest = ?")) {
            select.setString(1, digest.toString());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
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
     * Of {@code digests}, those the repository does not link. The linked rows are locked FOR SHARE so
     * a concurrent unlink or collection waits until the referencing manifest has committed.
     */
    public Set<Digest> unlinked(Connection c, long repositoryId, Collection<Digest> digests) throws SQLException {
        return DigestLookup.absent(c,
                "SELECT digest FROM repository_blobs WHERE repository_id = ? AND digest = ANY (?) FOR SHARE",
                repositoryId, digests);
    }
}
