package io.berth.core.label;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.ModelSessions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Labels on a manifest (Quay's): key, value and the value's media type ({@code text/plain} or
 * {@code application/json}); several labels may share a key. Reading needs pull, changing push.
 * Labels are {@link ManifestLabel} entities; the manifest they belong to is resolved in the same
 * session.
 */
@Singleton
public class LabelService {
    private static final Pattern KEY = Pattern.compile("[a-z0-9](?:[a-z0-9._/-]{0,253}[a-z0-9])?");
    private static final int MAX_VALUE = 4096;
    private static final int MAX_LABELS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The repository, and the manifest of it (NULL when it has none with that digest). */
    private static final String MANIFEST = "SELECT r.id, m.id FROM repositories r"
            + " LEFT JOIN manifests m ON m.repository_id = r.id AND m.digest = :digest WHERE r.name = :repository";

    private final ModelSessions sessions;
    private final Permissions permissions;

    @Inject
    public LabelService(ModelSessions sessions, Permissions permissions) {
        this.sessions = sessions;
        this.permissions = permissions;
    }

    public record Label(String id, String key, String value, String mediaType, String sourceType) {
    }

    /** The manifest's labels whose key starts with {@code prefix} (all when null). */
    public Future<List<Label>> list(Principal actor, RepositoryName name, String digest, String prefix) {
        String start = prefix == null ? "" : prefix;
        return permissions.require(actor, name, Action.PULL).compose(allowed -> {
            Digest parsed = Digest.parse(digest);
            return sessions.read(session -> manifest(session, name, parsed).chain(manifestId -> session
                    .createSelectionQuery("from ManifestLabel l where l.manifestId = :manifest order by l.key, l.createdAt, l.id",
                            ManifestLabel.class)
                    .setParameter("manifest", manifestId).getResultList()));
        // At most MAX_LABELS per manifest: the prefix is matched here rather than in SQL.
        }).map(labels -> labels.stream().filter(label -> label.key().startsWith(start)).map(LabelService::label).toList());
    }

    public Future<Label> get(Principal actor, RepositoryName name, String digest, String labelId) {
        return list(actor, name, digest, null).map(labels -> labels.stream().filter(label -> label.id().equals(labelId)).findFirst()
                .orElseThrow(() -> ManagementException.notFound("no label " + labelId)));
    }

    public Future<Label> add(Principal actor, RepositoryName name, String digest, String key, String value, String mediaType) {
        return permissions.require(actor, name, Action.PUSH).compose(allowed -> {
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
            Digest parsed = Digest.parse(digest);
            UUID id = UUID.randomUUID();
            return sessions.transaction(session -> manifest(session, name, parsed).chain(manifestId -> session
                    .createSelectionQuery("select count(*) from ManifestLabel l where l.manifestId = :manifest", Long.class)
                    .setParameter("manifest", manifestId).getSingleResult()
                    .chain(count -> {
                        if (count >= MAX_LABELS) {
                            throw ManagementException.conflict("a manifest has at most " + MAX_LABELS + " labels");
                        }
                        return session.persist(new ManifestLabel(id, manifestId, key, value, type));
                    })))
                    .map(added -> new Label(id.toString(), key, value, type, "api"));
        });
    }

    public Future<Void> delete(Principal actor, RepositoryName name, String digest, String labelId) {
        return permissions.require(actor, name, Action.PUSH).compose(allowed -> {
            UUID id = parseId(labelId);
            Digest parsed = Digest.parse(digest);
            return sessions.transaction(session -> manifest(session, name, parsed).chain(manifestId -> session
                    .createMutationQuery("delete from ManifestLabel l where l.id = :id and l.manifestId = :manifest")
                    .setParameter("id", id).setParameter("manifest", manifestId).executeUpdate())
                    .map(deleted -> {
                        if (deleted == 0) {
                            throw ManagementException.notFound("no label " + labelId);
                        }
                        return null;
                    }));
        });
    }

    /** The id of the repository's manifest {@code digest}, in the session's transaction: one statement for both lookups. */
    private static Uni<Long> manifest(Mutiny.Session session, RepositoryName name, Digest digest) {
        return session.createNativeQuery(MANIFEST, Object[].class).setParameter("digest", digest.toString())
                .setParameter("repository", name.value()).getSingleResultOrNull()
                .map(ids -> {
                    if (ids == null) {
                        throw ManagementException.notFound("no repository " + name);
                    }
                    if (ids[1] == null) {
                        throw ManagementException.notFound("no manifest " + digest + " in " + name);
                    }
                    return ((Number) ids[1]).longValue();
                });
    }

    private static Label label(ManifestLabel label) {
        return new Label(label.id().toString(), label.key(), label.value(), label.mediaType(), "api");
    }

    private static UUID parseId(String labelId) {
        try {
            return UUID.fromString(labelId);
        } catch (IllegalArgumentException e) {
            throw ManagementException.notFound("no label " + labelId);
        }
    }
}
