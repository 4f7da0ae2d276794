package io.berth.api.v2;

import io.berth.api.auth.Caller;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.Digest;
import io.berth.core.domain.MediaTypes;
import io.berth.core.domain.RepositoryName;
import io.berth.core.metadata.ReferrerRecord;
import io.berth.core.protocol.discovery.DiscoveryService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The version check, the catalog (only what the caller may see), tag listings and referrers. */
@Singleton
class DiscoveryEndpoint {
    private final DiscoveryService discovery;
    private final Permissions permissions;

    @Inject
    DiscoveryEndpoint(DiscoveryService discovery, Permissions permissions) {
        this.discovery = discovery;
        this.permissions = permissions;
    }

    Future<Void> base(RoutingContext ctx) {
        return json(ctx.response(), new JsonObject());
    }

    Future<Void> catalog(RoutingContext ctx) {
        Pagination pagination = Pagination.from(ctx.request());
        Principal caller = Caller.of(ctx).principal();
        return permissions.visibleTo(caller)
                .compose(visible -> discovery.repositories(visible, pagination.last(), pagination.limit()))
                .compose(page -> {
                    pagination.link(ctx.response(), "/v2/_catalog", page);
                    return json(ctx.response(), new JsonObject().put("repositories", new JsonArray(page.items())));
                });
    }

    Future<Void> tags(RoutingContext ctx, RepositoryName name) {
        Pagination pagination = Pagination.from(ctx.request());
        return discovery.tags(name, pagination.last(), pagination.limit()).compose(page -> {
            pagination.link(ctx.response(), "/v2/" + name + "/tags/list", page);
            return json(ctx.response(), new JsonObject().put("name", name.value()).put("tags", new JsonArray(page.items())));
        });
    }

    Future<Void> referrers(RoutingContext ctx, RepositoryName name, String digestText) {
        Digest subject = Digest.parse(digestText);
        String artifactType = ctx.request().getParam("artifactType");
        return discovery.referrers(name, subject, artifactType).compose(referrers -> {
            JsonArray manifests = new JsonArray();
            for (ReferrerRecord referrer : referrers) {
                JsonObject descriptor = new JsonObject()
                        .put("mediaType", referrer.mediaType())
                        .put("digest", referrer.digest())
                        .put("size", referrer.size());
                if (referrer.artifactType() != null) {
                    descriptor.put("artifactType", referrer.artifactType());
                }
                if (referrer.annotationsJson() != null) {
                    descriptor.put("annotations", new JsonObject(referrer.annotationsJson()));
                }
                manifests.add(descriptor);
            }
            HttpServerResponse response = ctx.response().putHeader("Content-Type", MediaTypes.OCI_INDEX);
            if (artifactType != null) {
                response.putHeader("OCI-Filters-Applied", "artifactType");
            }
            return response.end(new JsonObject()
                    .put("schemaVersion", 2)
                    .put("mediaType", MediaTypes.OCI_INDEX)
                    .put("manifests", manifests)
                    .toBuffer());
        });
    }

    private static Future<Void> json(HttpServerResponse response, JsonObject body) {
        return response.putHeader("Content-Type", "application/json").end(body.toBuffer());
    }
}
