package io.berth.api.auth;

import io.berth.core.auth.Principal;
import io.vertx.ext.web.RoutingContext;

/**
 * The authenticated caller of a /v2 request, with the registry token it presented (null when it
 * sent Basic credentials). Kept on the routing context for the endpoints that need more than the
 * route's own check (the catalog's filter, a mount's source repository).
 */
public record Caller(Principal principal, RegistryToken token) {
    private static final String KEY = "berth.caller";

    public void attachTo(RoutingContext ctx) {
        ctx.put(KEY, this);
    }

    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("request was not authorized");
        }
        return caller;
    }
}
