package io.berth.api.v1;

import io.berth.core.audit.UsageLogService;
import io.berth.core.error.ManagementException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

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
    public UsageLogJson.Logs organization(@PathParam("org") String org, @QueryParam("starttime") String starttime,
            @QueryParam("endtime") String endtime, @QueryParam("next_page") String nextPage) {
        return page(org, starttime, endtime, nextPage);
    }

    @GET
    @Path("/user/logs")
    public UsageLogJson.Logs user(@QueryParam("starttime") String starttime, @QueryParam("endtime") String endtime,
            @QueryParam("next_page") String nextPage) {
        var user = caller.principal().user();
        if (user == null) {
            throw ManagementException.forbidden("only users have a namespace of their own");
        }
        return page(user.username(), starttime, endtime, nextPage);
    }

    private UsageLogJson.Logs page(String namespace, String starttime, String endtime, String nextPage) {
        Instant start = UsageLogJson.time("starttime", starttime, false);
        Instant end = UsageLogJson.time("endtime", endtime, true);
        return UsageLogJson.of(logs.ofNamespace(caller.principal(), namespace, start, end, nextPage), start, end);
    }
}
