package io.berth.core.tag;

import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.gc.PushedReferences;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.SqlWork;
import io.berth.core.metadata.Statements;
import io.berth.core.metadata.StoredManifest;
import io.berth.core.metadata.TagRecords;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tags as administrators manage them: listed with their history, pointed at a manifest, given an
 * expiry, restored to an earlier manifest, deleted one at a time or many at once. Every change
 * reaches the manifest caches of all nodes. Reading needs pull, changing push, deleting delete; a
 * repository the caller may not pull is answered as absent. Blocking.
 */
@Singleton
public class TagService {
    public static final int MAX_BULK = 1000;

    private final Database database;
    private final RepositoryRecords repositories;
    private final ManifestRecords manifests;
    private final TagRecords tags;
    private final TagCatalog catalog;
    private final Permissions permissions;
    private final CacheInvalidations invalidations;
    private final PushedReferences pushedReferences;

    @Inject
    public TagService(Database database, RepositoryRecords repositories, ManifestRecords manifests, TagRecords tags, TagCatalog catalog,
            Permissions permissions, CacheInvalidations invalidations, PushedReferences pushedReferences) {
        this.database = database;
        this.repositories = repositories;
        this.manifests = manifests;
        this.tags = tags;
        this.catalog = catalog;
        this.permissions = permissions;
        this.invalidations = invalidations;
        this.pushedReferences = pushedReferences;
    }

    /** The outcome for one tag of a bulk delete: an HTTP status and a word for it. */
    public record BulkOutcome(String tag, int status, String result, String detail) {
    }

    public TagCatalog.Page list(Principal actor, RepositoryName name, TagQuery query) {
        permissions.require(actor, name, Action.PULL);
        return database.read(c -> catalog.list(c, existing(c, name), query));
    }

    /**
     * Points the tag at {@code digest} (when given; this clears an expiry) and then sets its expiry
     * (when given). Answers the tag as it is now.
     */
    public TagView put(Principal actor, RepositoryName name, String tagName, String digest, Instant expiration) {
        Tag tag = new Tag(tagName);
        permissions.require(actor, name, Action.PUSH);
        if (digest == null && expiration == null) {
            throw ManagementException.badRequest("give manifest_digest, expiration or both");
        }
        if (expiration != null && !expiration.isAfter(Instant.now())) {
            throw ManagementException.badRequest("expiration must be in the future");
        }
        Digest target = digest == null ? null : Digest.parse(digest);
        return change(name, tag.value(), c -> {
            long repositoryId = existing(c, name);
            if (target != null) {
                pushedReferences.forget(c, repositoryId, List.of(), List.of(target));
                pushedReferences.forget(c, repositoryId, List.of(), List.of(target));
            StoredManifest manifest = manifests.share(c, repositoryId, target)
                        .orElseThrow(() -> ManagementException.notFound("no manifest " + target + " in " + name));
                tags.put(c, repositoryId, tag.value(), manifest.id());
            } else if (catalog.active(c, repositoryId, tag.value()).isEmpty()) {
                throw ManagementException.notFound("no tag " + tag + " in " + name);
            }
            if (expiration != null) {
                Statements.update(c, "UPDATE tags SET expires_at = ? WHERE repository_id = ? AND name = ?",
                        Timestamp.from(expiration), repositoryId, tag.value());
            }
            return catalog.active(c, repositoryId, tag.value()).orElseThrow();
        });
    }

    /** Points the tag back at a manifest it pointed at before (which must still exist). */
    public TagView restore(Principal actor, RepositoryName name, String tagName, String digest) {
        Tag tag = new Tag(tagName);
        permissions.require(actor, name, Action.PUSH);
        if (digest == null) {
            throw ManagementException.badRequest("manifest_digest is required");
        }
        Digest target = Digest.parse(digest);
        return change(name, tag.value(), c -> {
            long repositoryId = existing(c, name);
            if (!catalog.pointedAt(c, repositoryId, tag.value(), target.toString())) {
                throw ManagementException.notFound("tag " + tag + " never pointed at " + target);
            }
            pushedReferences.forget(c, repositoryId, List.of(), List.of(target));
            StoredManifest manifest = manifests.share(c, repositoryId, target)
                    .orElseThrow(() -> ManagementException.notFound("manifest " + target + " no longer exists in " + name));
            tags.put(c, repositoryId, tag.value(), manifest.id());
            return catalog.active(c, repositoryId, tag.value()).orElseThrow();
        });
    }

    public void delete(Principal actor, RepositoryName name, String tagName) {
        Tag tag = new Tag(tagName);
        permissions.require(actor, name, Action.DELETE);
        deleteTag(name, tag);
    }

    private void deleteTag(RepositoryName name, Tag tag) {
        change(name, tag.value(), c -> {
            if (tags.delete(c, existing(c, name), tag.value()).isEmpty()) {
                throw ManagementException.notFound("no tag " + tag + " in " + name);
            }
            return null;
        });
    }

    /**
     * Deletes each named tag on its own: one outcome per tag (deleted, not found, denied, invalid
     * name), never all or nothing.
     */
    public List<BulkOutcome> bulkDelete(Principal actor, RepositoryName name, List<String> names) {
        if (names == null || names.isEmpty() || names.size() > MAX_BULK) {
            throw ManagementException.badRequest("tags must name 1 to " + MAX_BULK + " tags");
        }
        Set<Action> allowed = permissions.actions(actor, name);
        if (!allowed.contains(Action.PULL)) {
            throw missing(name);
        }
        database.read(c -> existing(c, name));
        String refused = allowed.contains(Action.DELETE) ? null : permissions.refusal(actor, name, Action.DELETE).getMessage();
        List<BulkOutcome> outcomes = new ArrayList<>();
        for (String tagName : names) {
            if (tagName == null || !Tag.isValid(tagName)) {
                outcomes.add(new BulkOutcome(tagName, 400, "invalid_name", "not a valid tag name"));
            } else if (refused != null) {
                outcomes.add(new BulkOutcome(tagName, 403, "denied", refused));
            } else {
                try {
                    deleteTag(name, new Tag(tagName));
                    outcomes.add(new BulkOutcome(tagName, 200, "deleted", "tag deleted"));
                } catch (ManagementException notFound) {
                    outcomes.add(new BulkOutcome(tagName, notFound.kind().status(), notFound.kind().title(), notFound.getMessage()));
                }
            }
        }
        return outcomes;
    }

    /**
     * Deletes up to {@code limit} tags whose expiry has passed, on whichever node gets to them; answers
     * how many. A read-only repository's stay as they are until it is writable again.
     */
    public int pruneExpired(int limit) {
        List<Invalidation> stale = new ArrayList<>();
        int pruned = database.transaction(c -> {
            stale.clear();
            try (PreparedStatement select = c.prepareStatement("SELECT t.repository_id, r.name, t.name FROM tags t"
                    + " JOIN repositories r ON r.id = t.repository_id WHERE t.expires_at <= now() AND r.state <> 'READ_ONLY'"
                    + " ORDER BY t.expires_at LIMIT ? FOR UPDATE OF t SKIP LOCKED")) {
                select.setInt(1, limit);
                List<Object[]> expired = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        expired.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)});
                    }
                }
                for (Object[] row : expired) {
                    tags.delete(c, (Long) row[0], (String) row[2]);
                    stale.add(Invalidation.manifest((String) row[1], (String) row[2]));
                }
                invalidations.publish(c, stale);
                return expired.size();
            }
        });
        invalidations.apply(stale);
        return pruned;
    }

    /** Runs a tag change in a transaction, then drops what the caches held for the tag, on every node. */
    private <T> T change(RepositoryName name, String tag, SqlWork<T> work) {
        List<Invalidation> stale = List.of(Invalidation.manifest(name.value(), tag));
        T result = database.transaction(c -> {
            T value = work.apply(c);
            invalidations.publish(c, stale);
            return value;
        });
        invalidations.apply(stale);
        return result;
    }

    private long existing(Connection c, RepositoryName name) throws SQLException {
        return repositories.findId(c, name).orElseThrow(() -> missing(name));
    }

    private static ManagementException missing(RepositoryName name) {
        return ManagementException.notFound("no repository " + name);
    }
}
