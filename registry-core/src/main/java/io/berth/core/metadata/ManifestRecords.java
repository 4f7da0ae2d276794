package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.berth.core.domain.ParsedManifest;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The manifests table and its references to blobs and child manifests. */
@Singleton
public class ManifestRecords {
    private static final String COLUMNS = "m.id, m.digest, m.media_type, m.payload, m.subject_digest";
    /** The same, with the expiry of the tag the manifest was found through. */
    private static final String TAGGED_COLUMNS = COLUMNS + ", t.expires_at";

    /**
     * Stores the manifest, or finds the stored one with the same bytes, and returns its id. A stored row
     * is locked FOR KEY SHARE only: enough to keep it from being deleted before the transaction ends,
     * while pushes of the same manifest under many tags at once do not queue behind each other (an
     * upsert would lock and rewrite the row for each of them). A push by digest refreshes
     * {@code pushed_at}, from which the safety window of an untagged manifest counts; a push by tag
     * needs no window, its tag keeps the manifest.
     */
    public long store(Connection c, long repositoryId, NewManifest manifest, boolean byDigest) throws SQLException {
        // Two rounds cover a concurrent first push of the same manifest; a third, a deletion in between.
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Long> stored = lockStored(c, repositoryId, manifest, byDigest);
            if (stored.isPresent()) {
                return stored.get();
            }
            Optional<Long> inserted = insert(c, repositoryId, manifest);
            if (inserted.isPresent()) {
                insertReferences(c, "INSERT INTO manifest_blobs (manifest_id, digest) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        inserted.get(), manifest.parsed().blobs());
                insertReferences(c, "INSERT INTO manifest_children (manifest_id, child_digest) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        inserted.get(), manifest.parsed().children());
                return inserted.get();
            }
        }
        throw new SQLException("manifest " + manifest.digest() + " was neither found nor stored", "40001");
    }

    private Optional<Long> lockStored(Connection c, long repositoryId, NewManifest manifest, boolean byDigest)
            throws SQLException {
        long id;
        String mediaType = manifest.parsed().mediaType();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, media_type FROM manifests WHERE repository_id = ? AND digest = ? FOR KEY SHARE")) {
            select.setLong(1, repositoryId);
            select.setString(2, manifest.digest().toString());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getLong(1);
                if (!byDigest && mediaType.equals(rs.getString(2))) {
                    return Optional.of(id);
                }
            }
        }
        // The same bytes pushed with another media type, or by digest: the row is rewritten.
        Statements.update(c, "UPDATE manifests SET media_type = ?, pushed_at = CASE WHEN ? THEN now() ELSE pushed_at END"
                + " WHERE id = ?", mediaType, byDigest, id);
        return Optional.of(id);
    }

    /** Inserts the manifest; empty when a concurrent push stored it first. */
    private static Optional<Long> insert(Connection c, long repositoryId, NewManifest manifest) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO manifests (repository_id, digest, media_type, artifact_type, config_media_type,"
                        + " config_digest, subject_digest, annotations, payload)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
                        + " ON CONFLICT (repository_id, digest) DO NOTHING RETURNING id")) {
            ParsedManifest parsed = manifest.parsed();
            insert.setLong(1, repositoryId);
            insert.setString(2, manifest.digest().toString());
            insert.setString(3, parsed.mediaType());
            insert.setString(4, parsed.artifactType());
            insert.setString(5, parsed.configMediaType());
            insert.setString(6, parsed.configDigest() == null ? null : parsed.configDigest().toString());
            insert.setString(7, parsed.subject() == null ? null : parsed.subject().toString());
            if (parsed.annotationsJson() == null) {
                insert.setNull(8, Types.VARCHAR);
            } else {
                insert.setString(8, parsed.annotationsJson());
            }
            insert.setBytes(9, manifest.payload());
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public Optional<StoredManifest> byDigest(Connection c, long repositoryId, Digest digest) throws SQLException {
        return byDigest(c, repositoryId, digest, "");
    }

    public Optional<StoredManifest> byTag(Connection c, long repositoryId, String tag) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + TAGGED_COLUMNS + " FROM tags t JOIN manifests m ON m.id = t.manifest_id"
                        + " WHERE t.repository_id = ? AND t.name = ?"
                        + " AND (t.expires_at IS NULL OR t.expires_at > now())")) {
            select.setLong(1, repositoryId);
            select.setString(2, tag);
            return single(select, true);
        }
    }

    /**
     * Of {@code digests}, the payload sizes of those that are manifests of the repository; the others
     * are absent from the answer. Found rows are locked FOR SHARE so they cannot be deleted before
     * the referencing index commits.
     */
    public Map<Digest, Long> storedSizes(Connection c, long repositoryId, Collection<Digest> digests) throws SQLException {
        return DigestLookup.sizes(c,
                "SELECT digest, octet_length(payload) FROM manifests WHERE repository_id = ? AND digest = ANY (?) FOR SHARE",
                repositoryId, digests);
    }

    /** The manifest, its row locked until the transaction ends. */
    public Optional<StoredManifest> lock(Connection c, long repositoryId, Digest digest) throws SQLException {
        return byDigest(c, repositoryId, digest, " FOR UPDATE");
    }

    /** The manifest, its row locked FOR SHARE: it cannot be deleted until the transaction ends. */
    public Optional<StoredManifest> share(Connection c, long repositoryId, Digest digest) throws SQLException {
        return byDigest(c, repositoryId, digest, " FOR SHARE");
    }

    private Optional<StoredManifest> byDigest(Connection c, long repositoryId, Digest digest, String locking) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM manifests m WHERE m.repository_id = ? AND m.digest = ?" + locking)) {
            select.setLong(1, repositoryId);
            select.setString(2, digest.toString());
            return single(select, false);
        }
    }

    /** Manifests of the repository that reference {@code digest}: indexes listing it, referrers naming it their subject. */
    public Set<Digest> referencing(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT p.digest FROM manifest_children mc JOIN manifests p ON p.id = mc.manifest_id
                WHERE p.repository_id = ? AND mc.child_digest = ?
                UNION
                SELECT r.digest FROM manifests r WHERE r.repository_id = ? AND r.subject_digest = ?""")) {
            select.setLong(1, repositoryId);
            select.setString(2, digest.toString());
            select.setLong(3, repositoryId);
            select.setString(4, digest.toString());
            Set<Digest> found = new java.util.HashSet<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(Digest.parse(rs.getString(1)));
                }
            }
            return found;
        }
    }

    /** Deletes the manifest and, through the foreign keys, its tags and references. */
    public boolean delete(Connection c, long repositoryId, Digest digest) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM manifests WHERE repository_id = ? AND digest = ?")) {
            delete.setLong(1, repositoryId);
            delete.setString(2, digest.toString());
            return delete.executeUpdate() > 0;
        }
    }

    /** Manifests of the repository whose subject is {@code subject}, optionally of one artifact type. */
    public List<ReferrerRecord> referrers(Connection c, long repositoryId, Digest subject, String artifactType)
            throws SQLException {
        if (!ClientText.storable(artifactType)) {
            return List.of();
        }
        // The spec's artifactType of a referrer: its own field, else (for an image manifest) the config's media type.
        String effectiveType = "COALESCE(artifact_type, config_media_type)";
        String sql = "SELECT media_type, digest, octet_length(payload), " + effectiveType + ", annotations::text"
                + " FROM manifests WHERE repository_id = ? AND subject_digest = ?"
                + (artifactType == null ? "" : " AND " + effectiveType + " = ?")
                + " ORDER BY digest";
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setLong(1, repositoryId);
            select.setString(2, subject.toString());
            if (artifactType != null) {
                select.setString(3, artifactType);
            }
            List<ReferrerRecord> referrers = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    referrers.add(new ReferrerRecord(rs.getString(1), rs.getString(2), rs.getLong(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
            return referrers;
        }
    }

    private static Optional<StoredManifest> single(PreparedStatement select, boolean throughTag) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Timestamp expires = throughTag ? rs.getTimestamp(6) : null;
            return Optional.of(new StoredManifest(rs.getLong(1), Digest.parse(rs.getString(2)), rs.getString(3),
                    rs.getBytes(4), rs.getString(5), expires == null ? null : expires.toInstant()));
        }
    }

    private static void insertReferences(Connection c, String sql, long manifestId, Set<Digest> digests)
            throws SQLException {
        if (digests.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (Digest digest : digests) {
                insert.setLong(1, manifestId);
                insert.setString(2, digest.toString());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
