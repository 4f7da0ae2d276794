package io.berth.core.label;

import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.Statements;
import io.berth.core.metadata.StoredManifest;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Labels on a manifest (Quay's): key, value and the value's media type ({@code text/plain} or
 * {@code application/json}); several labels may share a key. Reading needs pull, changing push.
 * Blocking.
 */
@Singleton
public class LabelService {
    private static final Pattern KEY = Pattern.compile("[a-z0-9](?:[a-z0-9._/-]{0,253}[a-z0-9])?");
    private static final int MAX_VALUE = 4096;
    private static final int MAX_LABELS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final RepositoryRecords repositories;
    private final ManifestRecords manifests;
    private final Permissions permissions;

    @Inject
    public LabelService(Database database, RepositoryRecords repositories, ManifestRecords manifests, Permissions permissions) {
        this.database = database;
        this.repositories = repositories;
        this.manifests = manifests;
        this.permissions = permissions;
    }

    public record Label(String id, String key, String value, String mediaType, String sourceType) {
    }

    /** The manifest's labels whose key starts with {@code prefix} (all when null). */
    public List<Label> list(Principal actor, RepositoryName name, String digest, String prefix) {
        permissions.require(actor, name, Action.PULL);
        return database.read(c -> {
            long manifestId = manifest(c, name, digest);
            try (PreparedStatement select = c.prepareStatement("SELECT id, key, value, media_type FROM manifest_labels"
                    + " WHERE manifest_id = ? AND starts_with(key, ?) ORDER BY key, created_at, id")) {
                select.setLong(1, manifestId);
                select.setString(2, prefix == null ? "" : prefix);
                List<Label> labels = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        labels.add(new Label(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), "api"));
                    }
                }
                return labels;
            }
        });
    }

    public Label get(Principal actor, RepositoryName name, String digest, String labelId) {
        return list(actor, name, digest, null).stream().filter(label -> label.id().equals(labelId)).findFirst()
                .orElseThrow(() -> ManagementException.notFound("no label " + labelId));
    }

    public Label add(Principal actor, RepositoryName name, String digest, String key, String value, String mediaType) {
        permissions.require(actor, name, Action.PUSH);
        if (key == null || !KEY.matcher(key).matches()) {
            throw ManagementException.badRequest("key must be 1 to 255 lowercase letters, digits, '.', '_', '/' or '-',"
                    + " starting and ending with a letter or digit");
        }
        if (value == null || value.length() > MAX_VALUE) {
            throw ManagementException.badRequest("value is required (at most " + MAX_VALUE + " characters)");
        }
        String type = mediaType == null ? "text/plain" : mediaType;
        if (!type.equals("text/plain") && !type.equals("application/json")) {
            throw ManagementException.badRequest("media_type must be text/plain or application/json");
        }
        if (type.equals("application/json")) {
            try {
                JSON.readTree(value);
            } catch (IOException notJson) {
                throw ManagementException.badRequest("value is not JSON");
            }
        }
        UUID id = UUID.randomUUID();
        database.transaction(c -> {
            long manifestId = manifest(c, name, digest);
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM manifest_labels WHERE manifest_id = ?")) {
                count.setLong(1, manifestId);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= MAX_LABELS) {
                        throw ManagementException.conflict("a manifest has at most " + MAX_LABELS + " labels");
                    }
                }
            }
            Statements.update(c, "INSERT INTO manifest_labels (id, manifest_id, key, value, media_type) VALUES (?, ?, ?, ?, ?)",
                    id, manifestId, key, value, type);
            return null;
        });
        return new Label(id.toString(), key, value, type, "api");
    }

    public void delete(Principal actor, RepositoryName name, String digest, String labelId) {
        permissions.require(actor, name, Action.PUSH);
        UUID id = parseId(labelId);
        database.transaction(c -> {
            if (Statements.update(c, "DELETE FROM manifest_labels WHERE id = ? AND manifest_id = ?", id, manifest(c, name, digest)) == 0) {
                throw ManagementException.notFound("no label " + labelId);
            }
            return null;
        });
    }

    private long manifest(Connection c, RepositoryName name, String digest) throws SQLException {
        Digest parsed = Digest.parse(digest);
        long repositoryId = repositories.findId(c, name).orElseThrow(() -> ManagementException.notFound("no repository " + name));
        return manifests.byDigest(c, repositoryId, parsed).map(StoredManifest::id)
                .orElseThrow(() -> ManagementException.notFound("no manifest " + parsed + " in " + name));
    }

    private static UUID parseId(String labelId) {
        try {
            return UUID.fromString(labelId);
        } catch (IllegalArgumentException e) {
            throw ManagementException.notFound("no label " + labelId);
        }
    }
}
