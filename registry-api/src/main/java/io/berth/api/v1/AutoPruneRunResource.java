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
 * Auto-prune runs on demand, answered with the ended run and its report: one policy
 * ({@code .../autoprunepolicy/{policy_uuid}/run}) or every policy of an organization, of the caller's
 * namespace ({@code .../autoprune/run}); a repository's are
 * {@link RepositoryAutoPruneResource}'s; {@code dry_run=true} reports
 * what would go and deletes nothing. And the runs so far, scheduled ones included.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AutoPruneRunResource {
    @Inject
    AutoPruneRunCalls calls;

    @Inject
    PolicyOwners owners;

    @POST
    @Path("/organization/{org}/autoprunepolicy/{policy_uuid}/run")
    public CompletionStage<AutoPruneRunView> runOrganizationPolicy(@PathParam("org") String org, @PathParam("policy_uuid") String uuid,
            @QueryParam("dry_run") String dryRun) {
        return calls.run(actor -> owners.organization(actor, org), uuid, dryRun);
    }

    @POST
    @Path("/organization/{org}/autoprune/run")
    public CompletionStage<AutoPruneRunView> runOrganization(@PathParam("org") String org, @QueryParam("dry_run") String dryRun) {
        return calls.run(actor -> owners.organization(actor, org), null, dryRun);
    }

    @GET
    @Path("/organization/{org}/autoprune/runs")
    public CompletionStage<AutoPruneRunCalls.RunList> organizationRuns(@PathParam("org") String org) {
        return calls.runs(actor -> owners.organization(actor, org));
    }

    @GET
    @Path("/organization/{org}/autoprune/runs/{run_id}")
    public CompletionStage<AutoPruneRunView> organizationRun(@PathParam("org") String org, @PathParam("run_id") String id) {
        return calls.runById(actor -> owners.organization(actor, org), id);
    }

    @POST
    @Path("/user/autoprunepolicy/{policy_uuid}/run")
    public CompletionStage<AutoPruneRunView> runUserPolicy(@PathParam("policy_uuid") String uuid, @QueryParam("dry_run") String dryRun) {
        return calls.run(owners::user, uuid, dryRun);
    }

    @POST
    @Path("/user/autoprune/run")
    public CompletionStage<AutoPruneRunView> runUser(@QueryParam("dry_run") String dryRun) {
        return calls.run(owners::user, null, dryRun);
    }

    @GET
    @Path("/user/autoprune/runs")
    public CompletionStage<AutoPruneRunCalls.RunList> userRuns() {
        return calls.runs(owners::user);
    }

    @GET
    @Path("/user/autoprune/runs/{run_id}")
    public CompletionStage<AutoPruneRunView> userRun(@PathParam("run_id") String id) {
        return calls.runById(owners::user, id);
    }
}
