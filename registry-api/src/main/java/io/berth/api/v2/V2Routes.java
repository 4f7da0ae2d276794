package io.berth.api.v2;

import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Where every /v2 request enters. Served as a plain Vert.x route (no body handler) so blob bodies
 * stream with back-pressure instead of being buffered; each request is paused on arrival and the
 * endpoint that consumes the body resumes it.
 */
@Singleton
public class V2Routes {
    private final DiscoveryEndpoint discovery;
    private final ManifestEndpoint manifests;
    private final BlobEndpoint blobs;
    private final UploadEndpoint uploads;

    @Inject
    V2Routes(DiscoveryEndpoint discovery, ManifestEndpoint manifests, BlobEndpoint blobs, UploadEndpoint uploads) {
        this.discovery = discovery;
        this.manifests = manifests;
        this.blobs = blobs;
        this.uploads = uploads;
    }

    void register(@Observes Router router) {
        router.route("/v2*").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        ctx.response().putHeader(V2Headers.API_VERSION, "registry/2.0");
        Future<Void> outcome;
        try {
            outcome = dispatch(ctx, V2Path.parse(request.path()), request.method());
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        outcome.onComplete(result -> {
            if (result.failed()) {
                OciErrorResponder.respond(ctx, result.cause());
            }
            // Let any body the endpoint did not read drain, so the connection stays usable.
            request.resume();
        });
    }

    private Future<Void> dispatch(RoutingContext ctx, V2Path path, HttpMethod method) {
        return switch (path.route()) {
            case BASE -> method == HttpMethod.GET || method == HttpMethod.HEAD ? discovery.base(ctx) : unsupported(method);
            case CATALOG -> method == HttpMethod.GET ? discovery.catalog(ctx) : unsupported(method);
            case TAGS -> method == HttpMethod.GET ? discovery.tags(ctx, path.name()) : unsupported(method);
            case REFERRERS -> method == HttpMethod.GET ? discovery.referrers(ctx, path.name(), path.argument()) : unsupported(method);
            case MANIFEST -> manifest(ctx, path.name(), path.argument(), method);
            case BLOB -> blob(ctx, path.name(), path.argument(), method);
            case UPLOAD_START -> method == HttpMethod.POST ? uploads.start(ctx, path.name()) : unsupported(method);
            case UPLOAD -> upload(ctx, path.name(), path.argument(), method);
            case UNKNOWN -> Future.failedFuture(new RegistryException(OciErrorCode.UNSUPPORTED, 404,
                    "no such endpoint: " + abbreviate(ctx.request().path())));
        };
    }

    private Future<Void> manifest(RoutingContext ctx, RepositoryName name, String reference, HttpMethod method) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return manifests.get(ctx, name, reference, method == HttpMethod.HEAD);
        }
        if (method == HttpMethod.PUT) {
            return manifests.put(ctx, name, reference);
        }
        if (method == HttpMethod.DELETE) {
            return manifests.delete(ctx, name, reference);
        }
        return unsupported(method);
    }

    private Future<Void> blob(RoutingContext ctx, RepositoryName name, String digest, HttpMethod method) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            return blobs.get(ctx, name, digest, method == HttpMethod.HEAD);
        }
        if (method == HttpMethod.DELETE) {
            return blobs.delete(ctx, name, digest);
        }
        return unsupported(method);
    }

    private Future<Void> upload(RoutingContext ctx, RepositoryName name, String uploadId, HttpMethod method) {
        if (method == HttpMethod.GET) {
            return uploads.status(ctx, name, uploadId);
        }
        if (method == HttpMethod.PATCH) {
            return uploads.patch(ctx, name, uploadId);
        }
        if (method == HttpMethod.PUT) {
            return uploads.finish(ctx, name, uploadId);
        }
        if (method == HttpMethod.DELETE) {
            return uploads.cancel(ctx, name, uploadId);
        }
        return unsupported(method);
    }

    private static Future<Void> unsupported(HttpMethod method) {
        return Future.failedFuture(new RegistryException(OciErrorCode.UNSUPPORTED, "method " + method + " not allowed here"));
    }

    private static String abbreviate(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }
}
