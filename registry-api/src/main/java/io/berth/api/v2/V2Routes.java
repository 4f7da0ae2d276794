package io.berth.api.v2;

import io.berth.api.auth.TokenEndpoint;
import io.berth.api.auth.V2Authorizer;
import io.berth.core.auth.Action;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.quarkus.vertx.http.runtime.RouteConstants;
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
 * endpoint that consumes the body resumes it. Every route but the token endpoint is authorized
 * first.
 */
@Singleton
public class V2Routes {
    private final DiscoveryEndpoint discovery;
    private final ManifestEndpoint manifests;
    private final BlobEndpoint blobs;
    private final UploadEndpoint uploads;
    private final TokenEndpoint tokens;
    private final V2Authorizer authorizer;

    @Inject
    V2Routes(DiscoveryEndpoint discovery, ManifestEndpoint manifests, BlobEndpoint blobs, UploadEndpoint uploads,
            TokenEndpoint tokens, V2Authorizer authorizer) {
        this.discovery = discovery;
        this.manifests = manifests;
        this.blobs = blobs;
        this.uploads = uploads;
        this.tokens = tokens;
        this.authorizer = authorizer;
    }

    /**
     * Routed on the path as received, not as Vert.x normalises it for matching: a {@code /v2*} route
     * would let {@code /v2/../api/v1/...} reach the management API and {@code /v2/..} nobody. A request
     * that is under /v2 either way is answered here, in the protocol's own terms (dot segments make
     * a name invalid or an endpoint unknown), and is never cleaned or redirected. Ordered after the
     * framework's own handlers (headers, limits) and ahead of every route numbered by registration
     * from 0, such as the OpenAPI document's, which a normalised /v2/../api/v1/discovery would match.
     */
    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_COMPRESSION - 1).handler(ctx -> {
            if (V2Path.isUnderV2(ctx.request().path()) || V2Path.isUnderV2(ctx.normalizedPath())) {
                handle(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        ctx.response().putHeader(V2Headers.API_VERSION, "registry/2.0");
        Future<Void> outcome;
        try {
            V2Path path = V2Path.parse(request.path());
            HttpMethod method = request.method();
            if (path.route() == V2Path.Route.TOKEN) {
                outcome = tokens.handle(ctx);
            } else {
                // The name is validated once, here; routes that have one are exactly those that need an action.
                V2Authorizer.Requirement requirement = requirement(path, method);
                outcome = authorizer.authorize(ctx, requirement).compose(caller -> dispatch(ctx, path, requirement.repository(), method));
            }
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        outcome.onComplete(result -> {
            if (result.failed()) {
                OciErrorResponder.respond(ctx, result.cause());
            }
            // Let any body the endpoint did not read drain, so the connection stays usable. A request
            // already read to its end is left alone: HTTP/2 refuses to resume one.
            if (!request.isEnded()) {
                request.resume();
            }
        });
    }

    /** What the route asks of the caller: pull to read, push to write, delete to delete. */
    private static V2Authorizer.Requirement requirement(V2Path path, HttpMethod method) {
        Action action = switch (path.route()) {
            case BASE, TOKEN, CATALOG, UNKNOWN -> null;
            case TAGS, REFERRERS -> Action.PULL;
            case UPLOAD_START, UPLOAD -> Action.PUSH;
            case MANIFEST, BLOB -> method == HttpMethod.DELETE ? Action.DELETE
                    : method == HttpMethod.PUT && path.route() == V2Path.Route.MANIFEST ? Action.PUSH : Action.PULL;
        };
        return action == null ? V2Authorizer.Requirement.ANY_CALLER : new V2Authorizer.Requirement(path.name(), action);
    }

    private Future<Void> dispatch(RoutingContext ctx, V2Path path, RepositoryName name, HttpMethod method) {
        return switch (path.route()) {
            case TOKEN -> tokens.handle(ctx);
            case BASE -> method == HttpMethod.GET || method == HttpMethod.HEAD ? discovery.base(ctx) : unsupported(method);
            case CATALOG -> method == HttpMethod.GET ? discovery.catalog(ctx) : unsupported(method);
            case TAGS -> method == HttpMethod.GET ? discovery.tags(ctx, name) : unsupported(method);
            case REFERRERS -> method == HttpMethod.GET ? discovery.referrers(ctx, name, path.argument()) : unsupported(method);
            case MANIFEST -> manifest(ctx, name, path.argument(), method);
            case BLOB -> blob(ctx, name, path.argument(), method);
            case UPLOAD_START -> method == HttpMethod.POST ? uploads.start(ctx, name) : unsupported(method);
            case UPLOAD -> upload(ctx, name, path.argument(), method);
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
