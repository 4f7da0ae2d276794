package io.berth.core.protocol.manifest;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.cache.ManifestCache;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.ParsedManifest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Reference;
import io.berth.core.domain.Tag;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.gc.BlobReviews;
import io.berth.core.gc.ManifestReviews;
import io.berth.core.gc.PushedReferences;
import io.berth.core.metadata.BlobRecords;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.NewManifest;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.StoredManifest;
import io.berth.core.metadata.TagRecords;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Pushing, resolving and deleting manifests. */
@Singleton
public class ManifestService {
    private final Database database;
    private final RepositoryRecords repositories;
    private final BlobRecords blobs;
    private final ManifestRecords manifests;
    private final TagRecords tags;
    private final ManifestParser parser;
    private final ManifestCache cache;
    private final CacheInvalidations invalidations;
    private final BlobReviews blobReviews;
    private final ManifestReviews manifestReviews;
    private final PushedReferences pushedReferences;
    private final ManifestRules rules;

    @Inject
    public ManifestService(Database database, RepositoryRecords repositories, BlobRecords blobs,
            ManifestRecords manifests, TagRecords tags, ManifestParser parser, ManifestCache cache,
            CacheInvalidations invalidations, BlobReviews blobReviews, ManifestReviews manifestReviews,
            PushedReferences pushedReferences, ManifestRules rules) {
        this.database = database;
        this.repositories = repositories;
        this.blobs = blobs;
        this.manifests = manifests;
        this.tags = tags;
        this.parser = parser;
        this.cache = cache;
        this.invalidations = invalidations;
        this.blobReviews = blobReviews;
        this.manifestReviews = manifestReviews;
        this.pushedReferences = pushedReferences;
        this.rules = rules;
    }

    /**
     * Stores a manifest under a tag or digest. Every blob and child manifest it references must be in
     * the repository; the check and the insert share one transaction, and the referenced rows are
     * locked so they cannot disappear before it commits. What it references is no candidate for
     * garbage collection any more (reviews go first: collection locks a review before its blob); a
     * manifest pushed without a tag is one until something tags or lists it. A push by digest may
     * name tags ({@code alsoTagged}) to point at it in the same transaction (all of them or none).
     */
    public Future<PushedManifest> put(RepositoryName name, Reference reference, List<Tag> alsoTagged, String contentType,
            byte[] payload) {
        return Futures.attempt(() -> store(name, reference, alsoTagged, contentType, payload));
    }

    private Future<PushedManifest> store(RepositoryName name, Reference reference, List<Tag> alsoTagged, String contentType,
            byte[] payload) {
        if (!alsoTagged.isEmpty() && reference instanceof Reference.ByTag) {
            throw new RegistryException(OciErrorCode.TAG_INVALID, "tag parameters go with a push by digest, not by tag");
        }
        ParsedManifest parsed = parser.parse(contentType, payload);
        Digest digest = switch (reference) {
            case Reference.ByDigest byDigest -> {
                Digest actual = Digest.of(byDigest.digest().algorithm(), payload);
                if (!actual.equals(byDigest.digest())) {
                    throw new RegistryException(OciErrorCode.DIGEST_INVALID,
                            "manifest digest is " + actual + ", not " + byDigest.digest());
                }
                yield actual;
            }
            case Reference.ByTag ignored -> Digest.of(io.berth.core.domain.DigestAlgorithm.SHA256, payload);
        };
        NewManifest manifest = new NewManifest(digest, payload, parsed);
        List<String> tagged = switch (reference) {
            case Reference.ByTag byTag -> List.of(byTag.tag().value());
            case Reference.ByDigest ignored -> alsoTagged.stream().map(Tag::value).distinct().toList();
        };
        List<Invalidation> stale = new ArrayList<>(List.of(Invalidation.manifest(name.value(), reference.toString())));
        if (reference instanceof Reference.ByDigest) {
            tagged.forEach(tag -> stale.add(Invalidation.manifest(name.value(), tag)));
        }
        Set<Digest> keptManifests = new HashSet<>(parsed.children());
        if (!tagged.isEmpty()) {
            keptManifests.add(digest);
        }
        return database.transaction(c -> repositories.ensure(c, name).compose(repositoryId -> {
                    // The reviews go first (one statement, which PostgreSQL runs before the next one
                    // sent on this connection), then both lookups, which also lock what is present so
                    // collection cannot take it before this commits. All three are sent together, in
                    // this order, in one round trip.
                    Future<Void> forgotten = pushedReferences.forget(c, repositoryId, parsed.blobs(), keptManifests);
                    Future<Map<Digest, Long>> storedBlobs = blobs.linkedSizes(c, repositoryId, parsed.blobs());
                    Future<Map<Digest, Long>> storedManifests = manifests.storedSizes(c, repositoryId, parsed.children());
                    return Future.all(forgotten, storedBlobs, storedManifests).compose(all -> {
                        requireReferencesStored(parsed, storedBlobs.result(), storedManifests.result(), rules.allowSparse());
                        return manifests.store(c, repositoryId, manifest, reference instanceof Reference.ByDigest);
                    })
                    .compose(manifestId -> tagged.isEmpty()
                            ? manifestReviews.enqueue(c, manifestId, "pushed without a tag")
                            : Futures.sequentially(tagged, tag -> tags.put(c, repositoryId, tag, manifestId)).<Void>mapEmpty())
                    .compose(done -> invalidations.publish(c, stale));
                }))
                .map(committed -> {
                    invalidations.apply(stale);
                    return new PushedManifest(digest, parsed.subject(), tagged);
                });
    }

    /** The cached manifest for a reference, or null: lets the HTTP layer answer without a database round trip. */
    public StoredManifest cached(RepositoryName name, Reference reference) {
        return cache.get(name, reference.toString());
    }

    public Future<StoredManifest> get(RepositoryName name, Reference reference) {
        return cache.get(name, reference.toString(), () -> database.read(c -> existingRepository(c, name).compose(repositoryId -> {
            Future<Optional<StoredManifest>> found = switch (reference) {
                case Reference.ByDigest byDigest -> manifests.byDigest(c, repositoryId, byDigest.digest());
                case Reference.ByTag byTag -> manifests.byTag(c, repositoryId, byTag.tag().value());
            };
            return found.map(manifest -> manifest.orElseThrow(() -> new RegistryException(OciErrorCode.MANIFEST_UNKNOWN,
                    "manifest " + reference + " not found in " + name)));
        })));
    }

    /**
     * Deletes by digest (the manifest and every tag on it) or by tag (only the tag, as the spec allows).
     * What the manifest referenced is left for garbage collection. Answers the manifest's digest.
     */
    public Future<Digest> delete(RepositoryName name, Reference reference) {
        return switch (reference) {
            case Reference.ByTag byTag -> {
                List<Invalidation> stale = List.of(Invalidation.manifest(name.value(), byTag.tag().value()));
                yield database.transaction(c -> existingRepository(c, name)
                        .compose(repositoryId -> tags.delete(c, repositoryId, byTag.tag().value()))
                        .compose(found -> found.isEmpty()
                                ? Future.<Digest>failedFuture(new RegistryException(OciErrorCode.MANIFEST_UNKNOWN,
                                        "tag " + byTag.tag() + " not found"))
                                : invalidations.publish(c, stale).map(found.get())))
                        .map(untagged -> {
                            invalidations.apply(stale);
                            return untagged;
                        });
            }
            case Reference.ByDigest byDigest -> deleteManifest(name, byDigest.digest(), null).map(byDigest.digest());
        };
    }

    /**
     * Deletes the manifest and its tags unless another manifest of the repository still references
     * it, as an index child or as the subject of a referrer ({@code alsoDeleted} lists manifests
     * going at the same time, whose references do not count). Answers the tags that went with it.
     * The check and the delete share a transaction holding the manifest's row, so an index pushed
     * meanwhile (which locks the rows it references) cannot slip in between.
     */
    public Future<List<String>> deleteUnreferenced(RepositoryName name, Digest digest, Set<Digest> alsoDeleted) {
        return deleteManifest(name, digest, alsoDeleted);
    }

    /** What a deletion took with it: the manifest's tags, and the invalidations to apply after commit. */
    private record Deleted(List<String> tags, List<Invalidation> stale) {
    }

    private Future<List<String>> deleteManifest(RepositoryName name, Digest digest, Set<Digest> referencesThatDoNotCount) {
        return database.transaction(c -> existingRepository(c, name).compose(repositoryId -> manifests
                .lock(c, repositoryId, digest)
                .compose(locked -> {
                    StoredManifest manifest = locked.orElseThrow(() -> new RegistryException(OciErrorCode.MANIFEST_UNKNOWN,
                            "manifest " + digest + " not found"));
                    // With the row locked, the two reads are independent: sent together, in one round trip.
                    Future<Set<Digest>> referencing = referencesThatDoNotCount == null
                            ? Future.succeededFuture(Set.of())
                            : manifests.referencing(c, repositoryId, digest);
                    Future<List<String>> manifestTags = tags.removableNamesOf(c, repositoryId, manifest.id());
                    return Future.all(referencing, manifestTags).compose(both -> {
                        Set<Digest> remaining = new TreeSet<>(referencing.result());
                        if (referencesThatDoNotCount != null) {
                            remaining.removeAll(referencesThatDoNotCount);
                        }
                        if (!remaining.isEmpty()) {
                            throw new ManifestReferencedException(digest, remaining.iterator().next());
                        }
                        return deleteLocked(c, name, repositoryId, manifest.id(), digest, manifestTags.result())
                                .map(stale -> new Deleted(manifestTags.result(), stale));
                    });
                })))
                .map(deleted -> {
                    invalidations.apply(deleted.stale());
                    return deleted.tags();
                });
    }

    /**
     * Deletes a manifest whose row the transaction has locked, with its tags: their history ends, what
     * it referenced (blobs, children, subject) and its referrers are queued for garbage collection,
     * and every node's caches drop it. Answers the invalidations to apply here after commit.
     */
    public Future<List<Invalidation>> deleteLocked(SqlConnection c, RepositoryName name, long repositoryId, long manifestId,
            Digest digest) {
        return tags.removableNamesOf(c, repositoryId, manifestId)
                .compose(manifestTags -> deleteLocked(c, name, repositoryId, manifestId, digest, manifestTags));
    }

    /** The same, for a caller that has already read the manifest's tags. */
    private Future<List<Invalidation>> deleteLocked(SqlConnection c, RepositoryName name, long repositoryId, long manifestId,
            Digest digest, List<String> manifestTags) {
        List<Invalidation> invalidated = new ArrayList<>();
        for (String tag : manifestTags) {
            invalidated.add(Invalidation.manifest(name.value(), tag));
        }
        invalidated.add(Invalidation.manifest(name.value(), digest.toString()));
        // The announcement and the end of the history are independent: sent together, in this order.
        Future<Void> published = invalidations.publish(c, List.copyOf(invalidated));
        Future<Void> historyEnded = tags.endHistoryOf(c, repositoryId, digest.toString());
        return Future.all(published, historyEnded)
                .compose(both -> blobReviews.enqueueOfManifest(c, manifestId, "manifest deleted", repositoryId))
                .compose(released -> {
                    invalidated.addAll(released);
                    return manifestReviews.enqueueRelatedTo(c, manifestId, repositoryId);
                })
                .compose(queued -> manifests.delete(c, repositoryId, digest))
                .map(deleted -> invalidated);
    }

    private Future<Long> existingRepository(SqlConnection c, RepositoryName name) {
        return repositories.findId(c, name).map(found -> found.orElseThrow(() -> new RegistryException(OciErrorCode.NAME_UNKNOWN,
                "repository " + name + " not known")));
    }

    /**
     * Every blob and child manifest the manifest references is in the repository (unless sparse
     * manifests are accepted), at the size its descriptor gives: a descriptor whose size is not the
     * content's would make clients read past or short of it, so that holds for sparse ones too.
     */
    private static void requireReferencesStored(ParsedManifest parsed, Map<Digest, Long> storedBlobs,
            Map<Digest, Long> storedManifests, boolean allowMissing) {
        requireStored(parsed.blobSizes(), storedBlobs, "blob", allowMissing);
        requireStored(parsed.childSizes(), storedManifests, "manifest", allowMissing);
    }

    private static void requireStored(Map<Digest, Long> declared, Map<Digest, Long> stored, String kind, boolean allowMissing) {
        Set<Digest> missing = new TreeSet<>(declared.keySet());
        missing.removeAll(stored.keySet());
        if (!missing.isEmpty() && !allowMissing) {
            throw new RegistryException(OciErrorCode.MANIFEST_BLOB_UNKNOWN, kind + " not in repository: " + missing.iterator().next());
        }
        for (Map.Entry<Digest, Long> reference : new TreeMap<>(declared).entrySet()) {
            if (!stored.containsKey(reference.getKey())) {
                continue;
            }
            long size = stored.get(reference.getKey());
            if (size != reference.getValue()) {
                throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "descriptor of " + kind + " " + reference.getKey()
                        + " gives size " + reference.getValue() + ", the repository holds " + size + " bytes");
            }
        }
    }
}
