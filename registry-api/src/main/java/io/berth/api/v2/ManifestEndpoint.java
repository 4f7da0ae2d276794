package io.berth.api.v2;

import io.berth.api.audit.UsageRecorder;
import io.berth.api.config.BerthConfig;
import io.berth.api.http.ExternalUrl;
import io.berth.core.domain.Digest;
import io.berth.core.domain.Reference;
import io.berth.core.domain.Tag;
import io.berth.core.error.RegistryException;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.metadata.StoredManifest;
import io.berth.core.protocol.manifest.ManifestService;
import io.berth.core.pullstats.PullStatistics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/** {@code /v2/<name>/manifests/<reference>}: GET, HEAD, PUT, DELETE. */
@Singleton
class ManifestEndpoint {
    /** Tags one push by digest may name. */
    static final int MAX_TAGS_PER_PUSH = 100;

    private final ManifestService manifests;
    private final long maxSize;

    private final UsageRecorder usage;
    private final ExternalUrl externalUrl;
    private final PullStatistics pulls;

    @Inject
    ManifestEndpoint(ManifestService manifests, BerthConfig config, UsageRecorder usage, ExternalUrl externalUrl,
            PullStatistics pulls) {
        this.manifests = manifests;
        this.pulls = pulls;
        this.externalUrl = externalUrl;
        this.usage = usage;
        this.maxSize = config.manifest().maxSize().asLongValue();
    }

    /**
     * The hot path of every image pull: a cached manifest is answered at once; only a miss goes to
     * PostgreSQL. HEAD answers exactly the headers GET would.
     */
    Future<Void> get(RoutingContext ctx, RepositoryName name, String reference, boolean head) {
        Reference ref = existingReference(name, reference);
        StoredManifest cached = manifests.cached(name, ref);
        Future<StoredManifest> found = cached != null ? Future.succeededFuture(cached) : manifests.get(name, ref);
        return found.compose(manifest -> {
            HttpServerResponse response = ctx.response()
                    .putHeader("Content-Type", manifest.mediaType())
                    .putHeader("Docker-Content-Digest", manifest.digest().toString())
                    .putHeader("ETag", "\"" + manifest.digest() + "\"")
                    .putHeader("Content-Length", String.valueOf(manifest.payload().length));
            if (V2Headers.notModified(ctx, manifest.digest())) {
                return response.setStatusCode(304).end();
            }
            if (head) {
                return response.end();
            }
            usage.protocol(ctx, "pull_repo", name, UsageRecorder.details("reference", reference, "manifest_digest",
                    manifest.digest().toString()));
            pulls.pulled(manifest, ref);
            return response.end(Buffer.buffer(manifest.payload()));
        });
    }

    /** A tag that could never have been pushed simply does not exist: 404, as for any unknown manifest. */
    private static Reference existingReference(RepositoryName name, String reference) {
        if (!Digest.looksLikeDigest(reference) && !Tag.isValid(reference)) {
            throw new RegistryException(OciErrorCode.MANIFEST_UNKNOWN, "manifest unknown in " + name);
        }
        return Reference.parse(reference);
    }

    Future<Void> put(RoutingContext ctx, RepositoryName name, String reference) {
        Reference ref = Reference.parse(reference);
        List<Tag> alsoTagged = tagParameters(ctx);
        String contentType = ctx.request().getHeader("Content-Type");
        return RequestBodies.read(ctx.request(), maxSize, OciErrorCode.MANIFEST_INVALID)
                .compose(body -> manifests.put(name, ref, alsoTagged, contentType, body.getBytes()))
                .compose(pushed -> {
                    HttpServerResponse response = ctx.response().setStatusCode(201)
                            .putHeader("Location", externalUrl.location("/v2/" + name + "/manifests/" + pushed.digest()))
                            .putHeader("Docker-Content-Digest", pushed.digest().toString())
                            .putHeader("Content-Length", "0");
                    if (pushed.subject() != null) {
                        response.putHeader("OCI-Subject", pushed.subject().toString());
                    }
                    if (!alsoTagged.isEmpty()) {
                        // The spec's confirmation of a push by digest with tags: one header per tag now pointing at it.
                        pushed.tags().forEach(tag -> response.headers().add("OCI-Tag", tag));
                    }
                    usage.protocol(ctx, "push_repo", name, UsageRecorder.details("reference", reference, "manifest_digest",
                            pushed.digest().toString()));
                    return response.end();
                });
    }

    /**
     * The {@code tag} query parameters of a push by digest (distribution spec, pushing several tags
     * at once), each validated; bounded like everything else a client sends.
     */
    private static List<Tag> tagParameters(RoutingContext ctx) {
        List<String> values = ctx.queryParam("tag");
        if (values.size() > MAX_TAGS_PER_PUSH) {
            throw new RegistryException(OciErrorCode.TAG_INVALID, "at most " + MAX_TAGS_PER_PUSH + " tags per push");
        }
        return values.stream().map(Tag::new).toList();
    }

    Future<Void> delete(RoutingContext ctx, RepositoryName name, String reference) {
        Reference ref = existingReference(name, reference);
        return manifests.delete(name, ref).compose(digest -> {
            usage.protocol(ctx, ref instanceof Reference.ByTag ? "delete_tag" : "delete_manifest", name,
                    UsageRecorder.details("reference", reference));
            return ctx.response().setStatusCode(202)
                    .putHeader("Docker-Content-Digest", digest.toString())
                    .putHeader("Content-Length", "0").end();
        });
    }
}
