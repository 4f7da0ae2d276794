package io.berth.api.audit;

import io.berth.api.auth.Caller;
import io.berth.api.v1.ApiCaller;
import io.berth.core.audit.UsageEvent;
import io.berth.core.audit.UsageLog;
import io.berth.core.auth.Principal;
import io.berth.core.domain.RepositoryName;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records usage events with who did it and from which address, from /v2 requests and management calls alike. */
@Singleton
public class UsageRecorder {
    private final UsageLog log;

    @Inject
    public UsageRecorder(UsageLog log) {
        this.log = log;
    }

    /** An event of a /v2 request in a repository, by the request's caller. */
    public void protocol(RoutingContext ctx, String kind, RepositoryName repository, Map<String, Object> metadata) {
        log.record(UsageEvent.inRepository(kind, performer(Caller.of(ctx).principal()), address(ctx.request().remoteAddress()),
                repository.value(), metadata));
    }

    /** A sign-in at the token endpoint, logged in the namespace of whoever signed in. */
    public void signIn(RoutingContext ctx, String kind, Principal principal, String namespace, Map<String, Object> metadata) {
        log.record(UsageEvent.inNamespace(kind, performer(principal), address(ctx.request().remoteAddress()), namespace, metadata));
    }

    /**
     * A management call's event in a repository, recorded once the caller is known. Call it while the
     * request's scope is active (not in a callback of the call's database work); there, use
     * {@link #repository(Principal, String, String, RepositoryName, Map)} with what was read from the caller before.
     */
    public void repository(ApiCaller caller, String kind, RepositoryName repository, Map<String, Object> metadata) {
        String ip = caller.ip();
        caller.principal().onSuccess(actor -> repository(actor, ip, kind, repository, metadata));
    }

    /** A management call's event in a namespace (an organization or a user's own); as {@link #repository(ApiCaller, String, RepositoryName, Map)}. */
    public void namespace(ApiCaller caller, String kind, String namespace, Map<String, Object> metadata) {
        String ip = caller.ip();
        caller.principal().onSuccess(actor -> namespace(actor, ip, kind, namespace, metadata));
    }

    /** A management call's event in a repository, by {@code actor} calling from {@code ip}. */
    public void repository(Principal actor, String ip, String kind, RepositoryName repository, Map<String, Object> metadata) {
        log.record(UsageEvent.inRepository(kind, performer(actor), ip, repository.value(), metadata));
    }

    /** A management call's event in a namespace (an organization or a user's own), by {@code actor} calling from {@code ip}. */
    public void namespace(Principal actor, String ip, String kind, String namespace, Map<String, Object> metadata) {
        log.record(UsageEvent.inNamespace(kind, performer(actor), ip, namespace, metadata));
    }

    /** Event details from name, value pairs; pairs whose value is null are left out. */
    public static Map<String, Object> details(Object... pairs) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                details.put(String.valueOf(pairs[i]), pairs[i + 1]);
            }
        }
        return details;
    }

    private static String performer(Principal principal) {
        return principal instanceof Principal.Anonymous ? null : principal.name();
    }

    private static String address(SocketAddress address) {
        return address == null ? null : address.hostAddress();
    }
}
