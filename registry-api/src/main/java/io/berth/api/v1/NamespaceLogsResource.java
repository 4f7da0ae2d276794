package io.berth.api.v1;

import io.berth.core.audit.UsageLogService;
import io.berth.core.auth.Principal;
import io.berth.core.error.ManagementException;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Usage logs of an organization and of the caller's own namespace (Quay's), newest first, for their administrators. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class NamespaceLogsResource {

    @Inject
    UsageLogService logs;

    @Inject
    ApiCaller caller;

    @GET
    @Path("/organization/{org}/logs")
    public CompletionStage<UsageLogJson.Logs> organization(@PathParam("org") String org, @QueryParam("starttime") String starttime,
            @QueryParam("endtime") String endtime, @QueryParam("next_page") String nextPage) {
        return page(caller.principal(), org, starttime, endtime, nextPage).toCompletionStage();
    }

    @GET
    @Path("/user/logs")
    public CompletionStage<UsageLogJson.Logs> user(@QueryParam("starttime") String starttime, @QueryParam("endtime") String endtime,
            @QueryParam("next_page") String nextPage) {
        return caller.principal().compose(actor -> {
            var user = actor.user();
            if (user == null) {
                throw ManagementException.forbidden("only users have a namespace of their own");
            }
            return page(Future.succeededFuture(actor), user.username(), starttime, endtime, nextPage);
        }).toCompletionStage();
    }

    /** The time bounds are checked before the caller's credentials count: a malformed bound is a 400 whoever asks. */
    private Future<UsageLogJson.Logs> page(Future<Principal> principal, String namespace, String starttime, String endtime, String nextPage) {
        Instant start = UsageLogJson.time("starttime", starttime, false);
        Instant end = UsageLogJson.time("endtime", endtime, true);
        return principal.compose(actor -> logs.ofNamespace(actor, namespace, start, end, nextPage))
                .map(page -> UsageLogJson.of(page, start, end));
    }
}
