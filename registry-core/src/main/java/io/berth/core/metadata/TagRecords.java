package io.berth.core.metadata;

import io.berth.core.gc.ManifestReviews;
import io.berth.core.domain.Digest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tags table: names pointing at manifests of the same repository. */
@Singleton
public class TagRecords {
    private final ManifestReviews reviews;

    @Inject
    public TagRecords(ManifestReviews reviews) {
        this.reviews = reviews;
    }

    /**
     * Points the tag at the manifest, creating or moving it (and clearing any expiry), and records
     * the move in the tag's history. The upsert locks the tag's row first, so concurrent moves of
     * one tag write their history one after the other. The manifest the tag leaves may now be
     * untagged, so it is queued for review; the caller has already taken the one it reaches out of
     * the review queue (before locking it, as collection takes the review first).
     */
    public void put(Connection c, long repositoryId, String name, long manifestId) throws SQLException {
        Statements.update(c, "INSERT INTO tags (repository_id, name, manifest_id) VALUES (?, ?, ?)"
                + " ON CONFLICT (repository_id, name) DO UPDATE"
                + " SET manifest_id = EXCLUDED.manifest_id, updated_at = now(), expires_at = NULL", repositoryId, name, manifestId);
        String previous = null;
        boolean unchanged = false;
        try (PreparedStatement select = c.prepareStatement("SELECT h.manifest_digest, h.manifest_digest = m.digest"
                + " FROM tag_history h, manifests m WHERE h.repository_id = ? AND h.name = ? AND h.ended_at IS NULL AND m.id = ?")) {
            select.setLong(1, repositoryId);
            select.setString(2, name);
            select.setLong(3, manifestId);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    previous = rs.getString(1);
                    unchanged = rs.getBoolean(2);
                }
            }
        }
        if (!unchanged) {
            // Without an open entry (a new tag) there is no history to end.
            if (previous != null) {
                reviews.enqueueDigests(c, repositoryId, List.of(previous), "tag moved");
                endHistory(c, repositoryId, name);
            }
            Statements.update(c, "INSERT INTO tag_history (repository_id, name, manifest_digest)"
                    + " SELECT ?, ?, digest FROM manifests WHERE id = ?", repositoryId, name, manifestId);
        }
    }

    /**
     * Deletes the tag; the manifest it pointed at may now be untagged, so it is queued for review.
     * Answers that manifest's digest, or empty when there was no such tag.
     */
    public Optional<Digest> delete(Connection c, long repositoryId, String name) throws SQLException {
        Digest untagged;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM tags WHERE repository_id = ? AND name = ?"
                + " RETURNING manifest_id, (SELECT digest FROM manifests m WHERE m.id = tags.manifest_id)")) {
            delete.setLong(1, repositoryId);
            delete.setString(2, name);
            try (ResultSet rs = delete.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                reviews.enqueue(c, rs.getLong(1), "tag deleted");
                untagged = Digest.parse(rs.getString(2));
            }
        }
        endHistory(c, repositoryId, name);
        return Optional.of(untagged);
    }

    /** Closes the history of every tag on a manifest about to be deleted (its tags go with it). */
    public void endHistoryOf(Connection c, long repositoryId, String manifestDigest) throws SQLException {
        Statements.update(c, "UPDATE tag_history SET ended_at = now() WHERE repository_id = ? AND manifest_digest = ?"
                + " AND ended_at IS NULL", repositoryId, manifestDigest);
    }

    private static void endHistory(Connection c, long repositoryId, String name) throws SQLException {
        Statements.update(c, "UPDATE tag_history SET ended_at = now() WHERE repository_id = ? AND name = ? AND ended_at IS NULL",
                repositoryId, name);
    }

    /** Names of live tags after {@code after} in lexical order, at most {@code limit}; served from the primary key index. */
    public List<String> names(Connection c, long repositoryId, String after, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT name FROM tags WHERE repository_id = ? AND name > ?"
                        + " AND (expires_at IS NULL OR expires_at > now()) ORDER BY name LIMIT ?")) {
            select.setLong(1, repositoryId);
            select.setString(2, after == null ? "" : ClientText.orderBound(after));
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

    /** Names of the tags pointing at a manifest now (expired ones left out), in order. */
    public List<String> activeNamesOf(Connection c, long manifestId) throws SQLException {
        return namesOf(c, manifestId, " AND (expires_at IS NULL OR expires_at > now()) ORDER BY name");
    }

    /** Names of the tags pointing at a manifest (to invalidate caches when it goes). */
    public List<String> namesOf(Connection c, long manifestId) throws SQLException {
        return namesOf(c, manifestId, "");
    }

    private static List<String> namesOf(Connection c, long manifestId, String condition) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT name FROM tags WHERE manifest_id = ?" + condition)) {
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
