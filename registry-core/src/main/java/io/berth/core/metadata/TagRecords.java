package io.berth.core.metadata;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The tags table: names pointing at manifests of the same repository. */
@Singleton
public class TagRecords {

    /** Points the tag at the manifest, creating or moving it. */
    public void put(Connection c, long repositoryId, String name, long manifestId) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO tags (repository_id, name, manifest_id) VALUES (?, ?, ?)"
                        + " ON CONFLICT (repository_id, name) DO UPDATE"
                        + " SET manifest_id = EXCLUDED.manifest_id, updated_at = now(), expires_at = NULL")) {
            upsert.setLong(1, repositoryId);
            upsert.setString(2, name);
            upsert.setLong(3, manifestId);
            upsert.executeUpdate();
        }
    }

    public boolean delete(Connection c, long repositoryId, String name) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM tags WHERE repository_id = ? AND name = ?")) {
            delete.setLong(1, repositoryId);
            delete.setString(2, name);
            return delete.executeUpdate() > 0;
        }
    }

    /** Names of live tags after {@code after} in lexical order, at most {@code limit}; served from the primary key index. */
    public List<String> names(Connection c, long repositoryId, String after, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT name FROM tags WHERE repository_id = ? AND name > ?"
                        + " AND (expires_at IS NULL OR expires_at > now()) ORDER BY name LIMIT ?")) {
            select.setLong(1, repositoryId);
            select.setString(2, after == null ? "" : after);
            select.setInt(3, limit);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }

    /** Names of the tags pointing at a manifest (to invalidate caches when it goes). */
    public List<String> namesOf(Connection c, long manifestId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT name FROM tags WHERE manifest_id = ?")) {
            select.setLong(1, manifestId);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
    }
}
