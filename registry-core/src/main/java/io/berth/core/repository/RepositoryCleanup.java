package io.berth.core.repository;

import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.StoredManifest;
import io.berth.core.metadata.TagRecords;
import io.berth.core.protocol.manifest.ManifestReferencedException;
import io.berth.core.protocol.manifest.ManifestService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
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
 * ({@code "Image is referenced by another manifest"}); the rest goes on regardless. Blocking.
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

    public Report cleanup(Principal actor, RepositoryName name, List<String> tagNames, List<String> digests) {
        List<String> namedTags = tagNames == null ? List.of() : tagNames;
        List<String> namedDigests = digests == null ? List.of() : digests;
        if (namedTags.isEmpty() && namedDigests.isEmpty() || namedTags.size() + namedDigests.size() > MAX_REFERENCES) {
            throw ManagementException.badRequest("name 1 to " + MAX_REFERENCES + " tags and digests");
        }
        permissions.require(actor, name, Action.DELETE);
        List<Failed> failed = new ArrayList<>();
        // The images to delete, each with the tags that named it.
        Map<Digest, List<String>> targets = database.read(c -> {
            long repositoryId = repositories.findId(c, name).orElseThrow(() -> ManagementException.notFound("no repository " + name));
            Map<Digest, List<String>> found = new LinkedHashMap<>();
            for (String text : namedDigests) {
                Optional<Digest> digest = parse(text);
                if (digest.isEmpty()) {
                    failed.add(new Failed(text, List.of(), "invalid digest"));
                } else if (manifests.byDigest(c, repositoryId, digest.get()).isEmpty()) {
                    failed.add(new Failed(text, List.of(), "manifest not found"));
                } else {
                    found.putIfAbsent(digest.get(), new ArrayList<>());
                }
            }
            for (String tag : namedTags) {
                Optional<StoredManifest> manifest = Tag.isValid(tag) ? manifests.byTag(c, repositoryId, tag) : Optional.empty();
                if (manifest.isEmpty()) {
                    failed.add(new Failed(null, List.of(String.valueOf(tag)), Tag.isValid(tag) ? "tag not found" : "invalid tag"));
                } else {
                    found.computeIfAbsent(manifest.get().digest(), ignored -> new ArrayList<>()).add(tag);
                }
            }
            return found;
        });
        // Passes until nothing more can go: an index or referrer deleted in one pass frees what it
        // referenced for the next, and only references from manifests actually deleted stop counting.
        List<Deleted> deleted = new ArrayList<>();
        Set<Digest> gone = new HashSet<>();
        Map<Digest, List<String>> remaining = new LinkedHashMap<>(targets);
        boolean progress = true;
        while (progress && !remaining.isEmpty()) {
            progress = false;
            for (Map.Entry<Digest, List<String>> target : List.copyOf(remaining.entrySet())) {
                try {
                    List<String> removed = manifestService.deleteUnreferenced(name, target.getKey(), gone);
                    deleted.add(new Deleted(target.getKey().toString(), List.copyOf(new TreeSet<>(removed))));
                    gone.add(target.getKey());
                    remaining.remove(target.getKey());
                    progress = true;
                } catch (ManifestReferencedException referenced) {
                    // maybe deletable once what references it has gone
                } catch (RegistryException vanished) {
                    failed.add(new Failed(target.getKey().toString(), target.getValue(), "manifest not found"));
                    remaining.remove(target.getKey());
                }
            }
        }
        if (!remaining.isEmpty()) {
            failed.addAll(database.read(c -> stillReferenced(c, name, remaining.keySet())));
        }
        return new Report(deleted, failed);
    }

    /** The images left in place, each with every tag it still has (not only those the cleanup named). */
    private List<Failed> stillReferenced(Connection c, RepositoryName name, Set<Digest> digests) throws SQLException {
        List<Failed> referenced = new ArrayList<>();
        long repositoryId = repositories.findId(c, name).orElseThrow(() -> ManagementException.notFound("no repository " + name));
        for (Digest digest : digests) {
            Optional<StoredManifest> manifest = manifests.byDigest(c, repositoryId, digest);
            List<String> kept = manifest.isPresent() ? tags.activeNamesOf(c, manifest.get().id()) : List.of();
            referenced.add(new Failed(digest.toString(), kept, "Image is referenced by another manifest"));
        }
        return referenced;
    }

    private static Optional<Digest> parse(String text) {
        try {
            return Optional.of(Digest.parse(text));
        } catch (RegistryException invalid) {
            return Optional.empty();
        }
    }
}
