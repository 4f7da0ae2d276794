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

    /** A management call's event in a repository. */
    public void repository(ApiCaller caller, String kind, RepositoryName repository, Map<String, Object> metadata) {
        log.record(UsageEvent.inRepository(kind, performer(caller.principal()), caller.ip(), repository.value(), metadata));
    }

    /** A management call's event in a namespace (an organization or a user's own). */
    public void namespace(ApiCaller caller, String kind, String namespace, Map<String, Object> metadata) {
        log.record(UsageEvent.inNamespace(kind, performer(caller.principal()), caller.ip(), namespace, metadata));
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
