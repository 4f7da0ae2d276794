package io.berth.core.release;

import io.berth.core.account.Actors;
import io.berth.core.auth.Principal;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Release snapshots as callers manage them: create one (recorded at once, copied in the background
 * by {@link ReleaseWorker} on any node), list and get them with their progress, retry a failed one,
 * delete one with the tags it set. A release is seen by the one who created it and by
 * administrators; to anyone else it does not exist.
 */
@Singleton
public class ReleaseService {
    public static final int MAX_PAGE_SIZE = 100;

    private final Database database;
    private final ReleaseRecords records;
    private final ReleasePermissions permissions;
    private final ReleaseTags tags;
    private final ReleaseWorker worker;
    private final CacheInvalidations invalidations;

    @Inject
    public ReleaseService(Database database, ReleaseRecords records, ReleasePermissions permissions, ReleaseTags tags,
            ReleaseWorker worker, CacheInvalidations invalidations) {
        this.database = database;
        this.records = records;
        this.permissions = permissions;
        this.tags = tags;
        this.worker = worker;
        this.invalidations = invalidations;
    }

    /** A page of the caller's releases (an administrator's: everyone's), newest first, without item details. */
    public record Page(List<ReleaseView> releases, long total) {
    }

    /** What deleting a release did to the tags it had set: deleted, or left because they name another manifest now. */
    public record Deleted(List<ReleaseTags.TargetTag> deletedTags, List<ReleaseTags.TargetTag> keptTags) {
    }

    public Future<ReleaseView> create(Principal actor, ReleaseRequest request) {
        UUID id = UUID.randomUUID();
        return permissions.require(actor, ReleasePermissions.toRelease(request.items()))
                .compose(allowed -> database.transaction(c -> records.insert(c, id, request, actor.name())
                        .compose(inserted -> records.find(c, id))))
                .map(created -> {
                    worker.wake();
                    return view(created.orElseThrow(), List.of());
                });
    }

    public Future<Page> list(Principal actor, int pageNum, int pageSize) {
        String createdBy = Actors.isSuperuser(actor) ? null : actor.name();
        return database.read(c -> records.page(c, createdBy, (pageNum - 1) * pageSize, pageSize))
                .map(page -> new Page(page.releases().stream().map(release -> view(release, List.of())).toList(), page.total()));
    }

    public Future<ReleaseView> get(Principal actor, String id) {
        return Futures.attempt(() -> {
            UUID releaseId = parse(id);
            return database.read(c -> {
                Future<Optional<ReleaseRecords.Release>> release = records.find(c, releaseId);
                Future<List<ReleaseRecords.Item>> items = records.items(c, releaseId);
                return Future.all(release, items).map(both -> view(visible(actor, id, release.result()), items.result()));
            });
        });
    }

    /**
     * Copies again what failed in a failed release ({@code retrying}); what was copied stays as it is.
     * The caller needs again pull on the sources and push on the targets of what is retried.
     */
    public Future<ReleaseView> retry(Principal actor, String id) {
        return Futures.attempt(() -> {
            UUID releaseId = parse(id);
            return database.read(c -> records.find(c, releaseId)).compose(found -> {
                ReleaseRecords.Release release = visible(actor, id, found);
                if (!ReleaseStatus.FAILED.equals(release.status())) {
                    throw ManagementException.conflict("only a failed release is retried; release " + id + " is " + release.status());
                }
                return database.read(c -> records.items(c, releaseId));
            }).compose(items -> permissions.require(actor, ReleasePermissions.toCopyAgain(items.stream()
                            .filter(item -> ReleaseStatus.FAILED.equals(item.status())).toList())))
                    .compose(allowed -> database.transaction(c -> records.retry(c, releaseId)))
                    .compose(retried -> {
                        if (!retried) {
                            throw ManagementException.conflict("release " + id + " is not failed any more");
                        }
                        worker.wake();
                        return get(actor, id);
                    });
        });
    }

    /**
     * Deletes a finished release and the tags it set, each through the tag records a tag delete
     * uses (history ended, the manifest queued for garbage collection); the content stays for
     * collection to find. A tag that names another manifest by now is someone else's and stays.
     * The caller needs delete on every target the release tagged.
     */
    public Future<Deleted> delete(Principal actor, String id) {
        return Futures.attempt(() -> {
            UUID releaseId = parse(id);
            return database.read(c -> {
                Future<Optional<ReleaseRecords.Release>> release = records.find(c, releaseId);
                Future<List<ReleaseRecords.Item>> items = records.items(c, releaseId);
                return Future.all(release, items).map(both -> {
                    ReleaseRecords.Release found = visible(actor, id, release.result());
                    if (ReleaseStatus.inProgress(found.status())) {
                        throw ManagementException.conflict("release " + id + " is being " + found.status().replace("ing", "ed")
                                + ": delete it once it has finished");
                    }
                    return items.result().stream().filter(ReleaseRecords.Item::tagged).toList();
                });
            });
        }).compose(tagged -> permissions.require(actor, ReleasePermissions.toUntag(tagged))
                .compose(allowed -> database.transaction(c -> records.lockFinished(c, parse(id)).compose(finished -> {
                    if (!finished) {
                        throw ManagementException.conflict("release " + id + " changed meanwhile: get it and try again");
                    }
                    return tags.untag(c, tagged).compose(untagged -> records.delete(c, parse(id)).map(untagged));
                })))
                .map(untagged -> {
                    invalidations.apply(untagged.deleted().stream()
                            .map(tag -> Invalidation.manifest(tag.repository(), tag.tag())).toList());
                    return new Deleted(untagged.deleted(), untagged.kept());
                }));
    }

    /** The release, when the caller may see it; 404 otherwise, as if it did not exist. */
    private static ReleaseRecords.Release visible(Principal actor, String id, Optional<ReleaseRecords.Release> release) {
        if (release.isEmpty() || !(Actors.isSuperuser(actor) || release.get().createdBy().equals(actor.name()))) {
            throw ManagementException.notFound("no release " + id);
        }
        return release.get();
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ManagementException.notFound("no release " + id);
        }
    }

    private static ReleaseView view(ReleaseRecords.Release release, List<ReleaseRecords.Item> items) {
        return new ReleaseView(release.id().toString(), release.versionName(), release.description(), release.labels(), release.status(),
                release.error(), release.createdBy(), release.createdAt(), release.finishedAt(), release.successCount(),
                release.totalCount(), release.uploadStatus(), items.stream().map(ReleaseRecords.Item::view).toList());
    }
}
