package io.berth.core.repository;

import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.immutability.ImmutableTagException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.StoredManifest;
import io.berth.core.metadata.TagRecords;
import io.berth.core.protocol.manifest.ManifestReferencedException;
import io.berth.core.protocol.manifest.ManifestService;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A repository's cleanup (the Container Registry API's): delete the images named by tags and by
 * digests, each image with all its tags, and report per image what went and what did not. An image
 * still referenced by an index or as the subject of a referrer outside the cleanup is not deleted
 * ({@code "Image is referenced by another manifest"}); the rest goes on regardless.
 */
@Singleton
public class RepositoryCleanup {
    public static final int MAX_REFERENCES = 1000;

    private final Database database;
    private final RepositoryRecords repositories;
    private final ManifestRecords manifests;
    private final TagRecords tags;
    private final ManifestService manifestService;
    private final Permissions permissions;

    @Inject
    public RepositoryCleanup(Database database, RepositoryRecords repositories, ManifestRecords manifests, TagRecords tags,
            ManifestService manifestService, Permissions permissions) {
        this.database = database;
        this.repositories = repositories;
        this.manifests = manifests;
        this.tags = tags;
        this.manifestService = manifestService;
        this.permissions = permissions;
    }

    /** One image deleted, with the tags that went with it. */
    public record Deleted(String digest, List<String> tags) {
    }

    /** One image (or a reference to none) not deleted, why, and the tags it still has (or the tag that named nothing). */
    public record Failed(String digest, List<String> tags, String error) {
    }

    public record Report(List<Deleted> deleted, List<Failed> failed) {
    }

    /** What one named digest or tag resolved to: the image it names, or why it names none. */
    private record Resolved(Digest image, String tag, Failed failure) {
    }

    public Future<Report> cleanup(Principal actor, RepositoryName name, List<String> tagNames, List<String> digests) {
        List<String> namedTags = tagNames == null ? List.of() : tagNames;
        List<String> namedDigests = digests == null ? List.of() : digests;
        if (namedTags.isEmpty() && namedDigests.isEmpty() || namedTags.size() + namedDigests.size() > MAX_REFERENCES) {
            return Future.failedFuture(ManagementException.badRequest("name 1 to " + MAX_REFERENCES + " tags and digests"));
        }
        List<Failed> failed = new ArrayList<>();
        return permissions.require(actor, name, Action.DELETE)
                .compose(allowed -> database.read(c -> resolve(c, name, namedDigests, namedTags)))
                .compose(resolved -> {
                    // The images to delete, each with the tags that named it.
                    Map<Digest, List<String>> targets = new LinkedHashMap<>();
                    for (Resolved reference : resolved) {
                        if (reference.failure() != null) {
                            failed.add(reference.failure());
                        } else if (reference.tag() == null) {
                            targets.putIfAbsent(reference.image(), new ArrayList<>());
                        } else {
                            targets.computeIfAbsent(reference.image(), ignored -> new ArrayList<>()).add(reference.tag());
                        }
                    }
                    List<Deleted> deleted = new ArrayList<>();
                    Map<Digest, List<String>> remaining = new LinkedHashMap<>(targets);
                    return deleteInPasses(name, remaining, new HashSet<>(), deleted, failed)
                            .compose(done -> remaining.isEmpty() ? Future.succeededFuture(List.<Failed>of())
                                    : database.read(c -> stillReferenced(c, name, remaining.keySet())))
                            .map(referenced -> {
                                failed.addAll(referenced);
                                return new Report(deleted, failed);
                            });
                });
    }

    /** Each named digest, then each named tag, in order: the image it names, or why it names none. */
    private Future<List<Resolved>> resolve(SqlConnection c, RepositoryName name, List<String> namedDigests, List<String> namedTags) {
        return existing(c, name).compose(repositoryId -> {
            // Independent lookups: pipelined on the connection, and answered in the order asked.
            Future<List<Resolved>> byDigest = Futures.together(namedDigests, text -> {
                Optional<Digest> digest = parse(text);
                if (digest.isEmpty()) {
                    return Future.succeededFuture(new Resolved(null, null, new Failed(text, List.of(), "invalid digest")));
                }
                return manifests.byDigest(c, repositoryId, digest.get()).map(manifest -> manifest.isEmpty()
                        ? new Resolved(null, null, new Failed(text, List.of(), "manifest not found"))
                        : new Resolved(digest.get(), null, null));
            });
            Future<List<Resolved>> byTag = Futures.together(namedTags, tag -> {
                Future<Optional<StoredManifest>> manifest = Tag.isValid(tag) ? manifests.byTag(c, repositoryId, tag)
                        : Future.succeededFuture(Optional.empty());
                return manifest.map(found -> found.isEmpty()
                        ? new Resolved(null, null, new Failed(null, List.of(String.valueOf(tag)), Tag.isValid(tag) ? "tag not found" : "invalid tag"))
                        : new Resolved(found.get().digest(), tag, null));
            });
            return Future.all(byDigest, byTag).map(both -> {
                List<Resolved> all = new ArrayList<>(byDigest.result());
                all.addAll(byTag.result());
                return all;
            });
        });
    }

    /**
     * Passes until nothing more can go: an index or referrer deleted in one pass frees what it
     * referenced for the next, and only references from manifests actually deleted stop counting.
     */
    private Future<Void> deleteInPasses(RepositoryName name, Map<Digest, List<String>> remaining, Set<Digest> gone, List<Deleted> deleted,
            List<Failed> failed) {
        int deletedBefore = deleted.size();
        return Futures.sequentially(List.copyOf(remaining.entrySet()), target -> manifestService
                .deleteUnreferenced(name, target.getKey(), Set.copyOf(gone))
                .map(removed -> {
                    deleted.add(new Deleted(target.getKey().toString(), List.copyOf(new TreeSet<>(removed))));
                    gone.add(target.getKey());
                    remaining.remove(target.getKey());
                    return (Void) null;
                })
                .recover(failure -> {
                    if (failure instanceof ManifestReferencedException) {
                        // maybe deletable once what references it has gone
                        return Future.succeededFuture();
                    }
                    if (failure instanceof ImmutableTagException immutable) {
                        failed.add(new Failed(target.getKey().toString(), target.getValue(), immutable.detail()));
                        remaining.remove(target.getKey());
                        return Future.succeededFuture();
                    }
                    if (failure instanceof RegistryException) {
                        failed.add(new Failed(target.getKey().toString(), target.getValue(), "manifest not found"));
                        remaining.remove(target.getKey());
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(failure);
                }))
                .compose(pass -> deleted.size() > deletedBefore && !remaining.isEmpty()
                        ? deleteInPasses(name, remaining, gone, deleted, failed)
                        : Future.succeededFuture());
    }

    /** The images left in place, each with every tag it still has (not only those the cleanup named). */
    private Future<List<Failed>> stillReferenced(SqlConnection c, RepositoryName name, Set<Digest> digests) {
        return existing(c, name).compose(repositoryId -> Futures.together(List.copyOf(digests), digest -> manifests
                .byDigest(c, repositoryId, digest)
                .compose(manifest -> manifest.isPresent() ? tags.activeNamesOf(c, manifest.get().id()) : Future.succeededFuture(List.<String>of()))
                .map(kept -> new Failed(digest.toString(), kept, "Image is referenced by another manifest"))));
    }

    private Future<Long> existing(SqlConnection c, RepositoryName name) {
        return repositories.findId(c, name).map(found -> found.orElseThrow(() -> ManagementException.notFound("no repository " + name)));
    }

    private static Optional<Digest> parse(String text) {
        try {
            return Optional.of(Digest.parse(text));
        } catch (RegistryException invalid) {
            return Optional.empty();
        }
    }
}
