package io.berth.api.v1;

import io.berth.core.audit.UsageLogService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** A repository's usage log (Quay's), newest first, for its administrators. */
@Path("/api/v1/repository")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryLogsResource {

    @Inject
    UsageLogService logs;

    @Inject
    ApiCaller caller;

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/logs")
    public CompletionStage<UsageLogJson.Logs> logs(@PathParam("repository") String repository, @QueryParam("starttime") String starttime,
            @QueryParam("endtime") String endtime, @QueryParam("next_page") String nextPage) {
        Instant start = UsageLogJson.time("starttime", starttime, false);
        Instant end = UsageLogJson.time("endtime", endtime, true);
        return caller.principal().compose(actor -> logs.ofRepository(actor, RepositoryResource.name(repository), start, end, nextPage))
                .map(page -> UsageLogJson.of(page, start, end)).toCompletionStage();
    }
}
