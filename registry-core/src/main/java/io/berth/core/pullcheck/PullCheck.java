package io.berth.core.pullcheck;

import io.berth.core.auth.Action;
import io.berth.core.auth.Authenticator;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.auth.SignInThrottle;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.MediaTypes;
import io.berth.core.domain.ParsedManifest;
import io.berth.core.domain.Reference;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.image.ImageService;
import io.berth.core.image.ImageView;
import io.berth.core.image.IndexPlatforms;
import io.berth.core.metadata.BlobRecords;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.StoredManifest;
import io.berth.core.protocol.manifest.ManifestParser;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Answers whether credentials can pull an image, doing what a client's pull does short of moving
 * bytes: sign in with the credentials (a user's password, a robot's token, an access token, or no
 * one), get the right to pull the repository (the rule /v2 applies, so a repository the caller may
 * not pull answers the same whether it exists or not), resolve the tag or digest, pick the
 * platform's manifest from an index, and find every manifest, config and layer the pull would fetch
 * linked in the repository and not being collected. Nothing is written: no pull statistics, no
 * locks, no use of the blob store beyond the config of an image whose platform was never read.
 *
 * <p>Failed sign-ins feed the {@link SignInThrottle}: the check is a way to test secrets, so it is
 * slowed down as sign-ins are.
 */
@Singleton
public class PullCheck {
    /** How deep indexes may nest (an index of indexes is legal, if rare). */
    private static final int MAX_DEPTH = 4;

    private final Authenticator authenticator;
    private final Permissions permissions;
    private final SignInThrottle throttle;
    private final Database database;
    private final RepositoryRecords repositories;
    private final ManifestRecords manifests;
    private final BlobRecords blobs;
    private final ManifestParser parser;
    private final ImageService images;

    @Inject
    public PullCheck(Authenticator authenticator, Permissions permissions, SignInThrottle throttle, Database database,
            RepositoryRecords repositories, ManifestRecords manifests, BlobRecords blobs, ManifestParser parser, ImageService images) {
        this.authenticator = authenticator;
        this.permissions = permissions;
        this.throttle = throttle;
        this.database = database;
        this.repositories = repositories;
        this.manifests = manifests;
        this.blobs = blobs;
        this.parser = parser;
        this.images = images;
    }

    /** The verdict, and who the credentials proved to be ({@link Principal#ANONYMOUS} when none or no one). */
    public record Checked(Principal principal, PullVerdict verdict) {
    }

    /**
     * Checks a pull of {@code image} (for {@code platform}, when given) with {@code username} and
     * {@code password}; both absent is an anonymous pull. {@code address} is the caller's, for the
     * throttle. Fails with 429 while the name or address has failed too often.
     */
    public Future<Checked> check(ImageReference image, PlatformSpec platform, String username, String password, String address) {
        boolean anonymous = isEmpty(username) && isEmpty(password);
        if (anonymous) {
            return authorized(Principal.ANONYMOUS, image, platform);
        }
        if (!throttle.allows(username, address)) {
            return Future.failedFuture(ManagementException.tooManyRequests("too many failed credential checks for this name or from this"
                    + " address; retry in " + throttle.window().toMinutes() + " minutes at most"));
        }
        return authenticator.authenticate(username == null ? "" : username, password == null ? "" : password).compose(found -> {
            if (found.isEmpty()) {
                throttle.failed(username, address);
                return Future.succeededFuture(new Checked(Principal.ANONYMOUS, PullVerdict.refused(PullReason.UNKNOWN_CREDENTIALS,
                        "the username and password (or token) are not valid here: unknown, wrong, revoked or expired")));
            }
            throttle.succeeded(username);
            return authorized(found.get(), image, platform);
        });
    }

    private Future<Checked> authorized(Principal principal, ImageReference image, PlatformSpec platform) {
        return permissions.actions(principal, image.repository()).compose(allowed -> {
            if (!allowed.contains(Action.PULL)) {
                String who = principal instanceof Principal.Anonymous ? "anonymous callers" : principal.name();
                return Future.succeededFuture(PullVerdict.refused(PullReason.NO_PERMISSION, who + " may not pull " + image.repository()
                        + ", or it does not exist" + (principal instanceof Principal.Anonymous ? " (sign in for private repositories)" : "")));
            }
            return database.read(c -> repositories.findId(c, image.repository()).compose(id -> id.isEmpty()
                    ? Future.succeededFuture(PullVerdict.refused(PullReason.NO_SUCH_REPOSITORY, "no repository " + image.repository()))
                    : resolved(c, id.get(), image, platform)));
        }).map(verdict -> new Checked(principal, verdict));
    }

    /** The manifest the reference names, then the platform's, then their content. */
    private Future<PullVerdict> resolved(SqlConnection c, long repositoryId, ImageReference image, PlatformSpec platform) {
        Future<Optional<StoredManifest>> found = switch (image.reference()) {
            case Reference.ByTag byTag -> manifests.byTag(c, repositoryId, byTag.tag().value());
            case Reference.ByDigest byDigest -> manifests.byDigest(c, repositoryId, byDigest.digest());
        };
        return found.compose(manifest -> {
            if (manifest.isEmpty()) {
                return Future.succeededFuture(image.reference() instanceof Reference.ByTag
                        ? PullVerdict.refused(PullReason.NO_SUCH_TAG, "no tag " + image.reference() + " in " + image.repository())
                        : PullVerdict.refused(PullReason.NO_SUCH_DIGEST, "no manifest " + image.reference() + " in " + image.repository()));
            }
            StoredManifest top = manifest.get();
            if (MediaTypes.isIndex(top.mediaType())) {
                return fromIndex(c, repositoryId, top, platform);
            }
            Future<PullVerdict> platformMissing = platform == null ? Future.succeededFuture(null)
                    : images.find(repositoryId, top.digest()).map(view -> ofOtherPlatform(top, platform, view));
            return platformMissing.compose(refused -> refused != null ? Future.succeededFuture(refused)
                    : missing(c, repositoryId, top, 0).map(problem -> verdict(top.digest(), null, null, problem)));
        });
    }

    private Future<PullVerdict> fromIndex(SqlConnection c, long repositoryId, StoredManifest index, PlatformSpec platform) {
        List<ImageView.Platform> platforms = IndexPlatforms.of(index.payload());
        if (platform == null) {
            // No platform: what a copy of every platform (skopeo copy --all) needs.
            return missing(c, repositoryId, index, 0).map(problem -> verdict(index.digest(), null, platforms, problem));
        }
        Optional<ImageView.Platform> chosen = platforms.stream().filter(platform::matches).findFirst();
        if (chosen.isEmpty()) {
            String offered = platforms.stream().map(PullCheck::describe).distinct().collect(Collectors.joining(", "));
            return Future.succeededFuture(new PullVerdict(false, PullReason.PLATFORM_NOT_FOUND, "index " + index.digest()
                    + " lists no manifest for " + platform + (offered.isEmpty() ? "" : "; it has " + offered), index.digest().toString(), null, platforms));
        }
        String child = chosen.get().digest();
        return child(c, repositoryId, child, index, 1)
                .map(problem -> verdict(index.digest(), child, platforms, problem));
    }

    private static PullVerdict ofOtherPlatform(StoredManifest image, PlatformSpec platform, Optional<ImageView> view) {
        ImageView found = view.orElse(null);
        if (found != null && platform.matches(found.os(), found.architecture(), found.variant())) {
            return null;
        }
        List<ImageView.Platform> own = found == null || found.os() == null ? List.of()
                : List.of(new ImageView.Platform(image.digest().toString(), found.os(), found.architecture(), found.variant()));
        return new PullVerdict(false, PullReason.PLATFORM_NOT_FOUND, "image " + image.digest() + " is not for " + platform
                + (own.isEmpty() ? ": its config names no platform" : ": it is for " + describe(own.getFirst())), image.digest().toString(),
                null, own);
    }

    /**
     * What of the manifest's content is absent, as a sentence, or null when nothing is: for an image
     * its config and layers (foreign layers aside, which clients fetch elsewhere), for an index each
     * manifest it lists and theirs.
     */
    private Future<String> missing(SqlConnection c, long repositoryId, StoredManifest manifest, int depth) {
        ParsedManifest parsed;
        try {
            parsed = parser.parse(manifest.mediaType(), manifest.payload());
        } catch (RegistryException unreadable) {
            return Future.succeededFuture("manifest " + manifest.digest() + " cannot be read: " + unreadable.detail());
        }
        if (MediaTypes.isIndex(manifest.mediaType())) {
            if (depth >= MAX_DEPTH) {
                return Future.succeededFuture("index " + manifest.digest() + " nests indexes deeper than " + MAX_DEPTH);
            }
            List<Digest> children = List.copyOf(new TreeSet<>(parsed.children()));
            return Futures.sequentially(children, child -> child(c, repositoryId, child.toString(), manifest, depth + 1))
                    .map(problems -> problems.stream().filter(problem -> problem != null).findFirst().orElse(null));
        }
        Set<Digest> needed = parsed.blobs();
        return blobs.presentSizes(c, repositoryId, needed).map(present -> {
            Set<Digest> absent = new TreeSet<>(needed);
            absent.removeAll(present.keySet());
            if (absent.isEmpty()) {
                return null;
            }
            // A client fetches the config first: name it first when it is absent.
            Digest first = absent.contains(parsed.configDigest()) ? parsed.configDigest() : absent.iterator().next();
            String what = first.equals(parsed.configDigest()) ? "config " : "layer ";
            return what + first + " of manifest " + manifest.digest() + " is not in the repository" + (absent.size() > 1
                    ? " (nor " + (absent.size() - 1) + " more)" : "");
        });
    }

    private Future<String> child(SqlConnection c, long repositoryId, String digest, StoredManifest index, int depth) {
        Digest parsed;
        try {
            parsed = Digest.parse(digest);
        } catch (RegistryException invalid) {
            return Future.succeededFuture("index " + index.digest() + " lists an invalid digest");
        }
        return manifests.byDigest(c, repositoryId, parsed).compose(found -> found.isEmpty()
                ? Future.succeededFuture("manifest " + parsed + " listed by index " + index.digest() + " is not in the repository")
                : missing(c, repositoryId, found.get(), depth));
    }

    private static PullVerdict verdict(Digest digest, String platformDigest, List<ImageView.Platform> platforms, String problem) {
        return problem == null
                ? new PullVerdict(true, PullReason.PULLABLE, "a pull of this image with these credentials would succeed", digest.toString(),
                        platformDigest, platforms)
                : new PullVerdict(false, PullReason.MISSING_CONTENT, problem, digest.toString(), platformDigest, platforms);
    }

    private static String describe(ImageView.Platform platform) {
        return platform.os() + "/" + platform.architecture() + (platform.variant() == null ? "" : "/" + platform.variant());
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
