package io.berth.api.v1;

import io.berth.core.autoprune.AutoPruneRunView;
import io.berth.core.autoprune.PolicyOwners;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/**
 * A repository's auto-prune runs: every policy that applies to it (its own and its namespace's) run
 * now, for real or dry, and the runs of the repository so far.
 */
@Path("/api/v1/repository/{repository: " + RepositoryPath.REGEX + "}/autoprune")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryAutoPruneResource {
    @Inject
    AutoPruneRunCalls calls;

    @Inject
    PolicyOwners owners;

    @POST
    @Path("/run")
    public CompletionStage<AutoPruneRunView> run(@PathParam("repository") String repository, @QueryParam("dry_run") String dryRun) {
        return calls.run(actor -> owners.repository(actor, repository), null, dryRun);
    }

    @GET
    @Path("/runs")
    public CompletionStage<AutoPruneRunCalls.RunList> runs(@PathParam("repository") String repository) {
        return calls.runs(actor -> owners.repository(actor, repository));
    }
}
