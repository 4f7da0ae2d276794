package io.berth.core.tag;

import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.gc.PushedReferences;
import io.berth.core.immutability.ImmutableTagException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.SqlWork;
import io.berth.core.metadata.TagRecords;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tags as administrators manage them: listed with their history, pointed at a manifest, given an
 * expiry, restored to an earlier manifest, deleted one at a time or many at once. Every change
 * reaches the manifest caches of all nodes. Reading needs pull, changing push, deleting delete; a
 * repository the caller may not pull is answered as absent.
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

    /** An expired tag taken for pruning. */
    private record Expired(long repositoryId, String repository, String tag) {
    }

    public Future<TagCatalog.Page> list(Principal actor, RepositoryName name, TagQuery query) {
        return permissions.require(actor, name, Action.PULL)
                .compose(allowed -> database.read(c -> existing(c, name).compose(id -> catalog.list(c, id, query))));
    }

    /**
     * Points the tag at {@code digest} (when given; this clears an expiry) and then sets its expiry
     * (when given). Answers the tag as it is now.
     */
    public Future<TagView> put(Principal actor, RepositoryName name, String tagName, String digest, Instant expiration) {
        return Futures.attempt(() -> {
            Tag tag = new Tag(tagName);
            return permissions.require(actor, name, Action.PUSH).compose(allowed -> {
                if (digest == null && expiration == null) {
                    throw ManagementException.badRequest("give manifest_digest, expiration or both");
                }
                if (expiration != null && !expiration.isAfter(Instant.now())) {
                    throw ManagementException.badRequest("expiration must be in the future");
                }
                Digest target = digest == null ? null : Digest.parse(digest);
                return change(name, tag.value(), c -> existing(c, name).compose(repositoryId -> {
                    Future<Void> pointed = target != null ? point(c, repositoryId, tag, target, "no manifest " + target + " in " + name)
                            : catalog.active(c, repositoryId, tag.value()).map(found -> {
                                if (found.isEmpty()) {
                                    throw ManagementException.notFound("no tag " + tag + " in " + name);
                                }
                                return null;
                            });
                    return pointed
                            .compose(done -> expiration == null ? Future.succeededFuture()
                                    : tags.expireAt(c, repositoryId, tag.value(), expiration))
                            .compose(done -> catalog.active(c, repositoryId, tag.value()))
                            .map(found -> found.orElseThrow());
                }));
            });
        });
    }

    /** Points the tag back at a manifest it pointed at before (which must still exist). */
    public Future<TagView> restore(Principal actor, RepositoryName name, String tagName, String digest) {
        return Futures.attempt(() -> {
            Tag tag = new Tag(tagName);
            return permissions.require(actor, name, Action.PUSH).compose(allowed -> {
                if (digest == null) {
                    throw ManagementException.badRequest("manifest_digest is required");
                }
                Digest target = Digest.parse(digest);
                return change(name, tag.value(), c -> existing(c, name).compose(repositoryId ->
                        catalog.pointedAt(c, repositoryId, tag.value(), target.toString()).compose(pointedBefore -> {
                            if (!pointedBefore) {
                                throw ManagementException.notFound("tag " + tag + " never pointed at " + target);
                            }
                            return point(c, repositoryId, tag, target, "manifest " + target + " no longer exists in " + name);
                        }).compose(done -> catalog.active(c, repositoryId, tag.value())).map(found -> found.orElseThrow())));
            });
        });
    }

    /**
     * Points the tag at the manifest, which the transaction holds FOR SHARE; it is taken out of the
     * review queue first, before its row is locked, as collection takes the review first.
     */
    private Future<Void> point(SqlConnection c, long repositoryId, Tag tag, Digest target, String missing) {
        return pushedReferences.forget(c, repositoryId, List.of(), List.of(target))
                .compose(forgotten -> manifests.share(c, repositoryId, target))
                .compose(manifest -> tags.put(c, repositoryId, tag.value(),
                        manifest.orElseThrow(() -> ManagementException.notFound(missing)).id()));
    }

    public Future<Void> delete(Principal actor, RepositoryName name, String tagName) {
        return Futures.attempt(() -> {
            Tag tag = new Tag(tagName);
            return permissions.require(actor, name, Action.DELETE).compose(allowed -> deleteTag(name, tag));
        });
    }

    private Future<Void> deleteTag(RepositoryName name, Tag tag) {
        return change(name, tag.value(), c -> existing(c, name).compose(id -> tags.delete(c, id, tag.value())).map(untagged -> {
            if (untagged.isEmpty()) {
                throw ManagementException.notFound("no tag " + tag + " in " + name);
            }
            return null;
        }));
    }

    /**
     * Deletes the tag for a retention policy, as any delete does (history, review queue, caches), if
     * it still points at {@code digest}: a tag pushed again since the policy looked stays. No caller's
     * permission is asked; whoever set the policy administers the namespace. Answers whether it went.
     */
    public Future<Boolean> deleteIfStillAt(RepositoryName name, String tagName, Digest digest) {
        return change(name, tagName, c -> existing(c, name).compose(id -> c.preparedQuery("SELECT m.digest FROM tags t"
                        + " JOIN manifests m ON m.id = t.manifest_id WHERE t.repository_id = $1 AND t.name = $2 FOR UPDATE OF t")
                .execute(Tuple.of(id, tagName))
                .compose(rows -> !rows.iterator().hasNext() || !digest.toString().equals(rows.iterator().next().getString(0))
                        ? Future.succeededFuture(false)
                        : tags.delete(c, id, tagName).map(Optional::isPresent))));
    }

    /**
     * Deletes each named tag on its own: one outcome per tag (deleted, not found, denied, invalid
     * name), never all or nothing.
     */
    public Future<List<BulkOutcome>> bulkDelete(Principal actor, RepositoryName name, List<String> names) {
        if (names == null || names.isEmpty() || names.size() > MAX_BULK) {
            return Future.failedFuture(ManagementException.badRequest("tags must name 1 to " + MAX_BULK + " tags"));
        }
        return permissions.actions(actor, name).compose(allowed -> {
            if (!allowed.contains(Action.PULL)) {
                throw missing(name);
            }
            return database.read(c -> existing(c, name))
                    .compose(id -> allowed.contains(Action.DELETE) ? Future.succeededFuture((String) null)
                            : permissions.refusal(actor, name, Action.DELETE).map(ManagementException::getMessage))
                    .compose(refused -> Futures.sequentially(names, tagName -> outcome(name, tagName, refused)));
        });
    }

    private Future<BulkOutcome> outcome(RepositoryName name, String tagName, String refused) {
        if (tagName == null || !Tag.isValid(tagName)) {
            return Future.succeededFuture(new BulkOutcome(tagName, 400, "invalid_name", "not a valid tag name"));
        }
        if (refused != null) {
            return Future.succeededFuture(new BulkOutcome(tagName, 403, "denied", refused));
        }
        return deleteTag(name, new Tag(tagName))
                .map(deleted -> new BulkOutcome(tagName, 200, "deleted", "tag deleted"))
                .recover(failure -> {
                    if (failure instanceof ImmutableTagException immutable) {
                        return Future.succeededFuture(new BulkOutcome(tagName, 409, "immutable", immutable.detail()));
                    }
                    return failure instanceof ManagementException notFound
                            ? Future.succeededFuture(new BulkOutcome(tagName, notFound.kind().status(), notFound.kind().title(), notFound.getMessage()))
                            : Future.failedFuture(failure);
                });
    }

    /**
     * Deletes up to {@code limit} tags whose expiry has passed, on whichever node gets to them; answers
     * how many. A read-only repository's stay as they are until it is writable again.
     */
    public Future<Integer> pruneExpired(int limit) {
        List<Invalidation> stale = new ArrayList<>();
        return database.transaction(c -> {
            stale.clear();
            return c.preparedQuery("SELECT t.repository_id, r.name, t.name FROM tags t"
                            + " JOIN repositories r ON r.id = t.repository_id WHERE t.expires_at <= now() AND r.state <> 'READ_ONLY'"
                            + " ORDER BY t.expires_at LIMIT $1 FOR UPDATE OF t SKIP LOCKED")
                    .execute(Tuple.of(limit))
                    .compose(rows -> {
                        List<Expired> expired = new ArrayList<>();
                        for (Row row : rows) {
                            expired.add(new Expired(row.getLong(0), row.getString(1), row.getString(2)));
                        }
                        return Futures.sequentially(expired, tag -> tags.deleteExpired(c, tag.repositoryId(), tag.tag()).map(untagged -> {
                            stale.add(Invalidation.manifest(tag.repository(), tag.tag()));
                            return untagged;
                        })).compose(deleted -> invalidations.publish(c, stale)).map(published -> expired.size());
                    });
        }).map(pruned -> {
            invalidations.apply(stale);
            return pruned;
        });
    }

    /** Runs a tag change in a transaction, then drops what the caches held for the tag, on every node. */
    private <T> Future<T> change(RepositoryName name, String tag, SqlWork<T> work) {
        List<Invalidation> stale = List.of(Invalidation.manifest(name.value(), tag));
        return database.transaction(c -> work.apply(c).compose(value -> invalidations.publish(c, stale).map(published -> value)))
                .map(result -> {
                    invalidations.apply(stale);
                    return result;
                });
    }

    private Future<Long> existing(SqlConnection c, RepositoryName name) {
        return repositories.findId(c, name).map(found -> found.orElseThrow(() -> missing(name)));
    }

    private static ManagementException missing(RepositoryName name) {
        return ManagementException.notFound("no repository " + name);
    }
}
