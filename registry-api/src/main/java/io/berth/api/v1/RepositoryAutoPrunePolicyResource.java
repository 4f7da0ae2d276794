package io.berth.api.v1;

import io.berth.core.autoprune.AutoPruneRunView;
import io.berth.core.autoprune.AutoPrunePolicyView;
import io.berth.core.autoprune.PolicyOwners;
import io.berth.core.autoprune.PolicyRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A repository's auto-prune policies, at Quay's paths, for the repository's administrators
 * ({@code repo:admin}). Its own class: a repository path is matched by the class's path, as for tags.
 */
@Path("/api/v1/repository/{repository: " + RepositoryPath.REGEX + "}/autoprunepolicy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryAutoPrunePolicyResource {
    @Inject
    AutoPrunePolicyCalls calls;

    @Inject
    PolicyOwners owners;

    @Inject
    AutoPruneRunCalls runs;

    @POST
    @Path("/")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = AutoPrunePolicyView.class)))
    public CompletionStage<Response> create(@PathParam("repository") String repository, PolicyRequest body) {
        return calls.create(actor -> owners.repository(actor, repository), body);
    }

    @GET
    @Path("/")
    public CompletionStage<AutoPrunePolicyCalls.PolicyList> list(@PathParam("repository") String repository) {
        return calls.list(actor -> owners.repository(actor, repository));
    }

    @GET
    @Path("/{policy_uuid}")
    public CompletionStage<AutoPrunePolicyView> get(@PathParam("repository") String repository, @PathParam("policy_uuid") String uuid) {
        return calls.get(actor -> owners.repository(actor, repository), uuid);
    }

    @PUT
    @Path("/{policy_uuid}")
    public CompletionStage<AutoPrunePolicyView> update(@PathParam("repository") String repository, @PathParam("policy_uuid") String uuid,
            PolicyRequest body) {
        return calls.update(actor -> owners.repository(actor, repository), uuid, body);
    }

    @DELETE
    @Path("/{policy_uuid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> delete(@PathParam("repository") String repository, @PathParam("policy_uuid") String uuid) {
        return calls.delete(actor -> owners.repository(actor, repository), uuid);
    }

    @POST
    @Path("/{policy_uuid}/run")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<AutoPruneRunView> run(@PathParam("repository") String repository,
            @PathParam("policy_uuid") String uuid, @QueryParam("dry_run") String dryRun) {
        return runs.run(actor -> owners.repository(actor, repository), uuid, dryRun);
    }
}
