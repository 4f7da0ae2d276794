package io.berth.api.v1;

import io.berth.api.v1.ImmutabilityPolicyResource.Policy;
import io.berth.api.v1.ImmutabilityPolicyResource.PolicyBody;
import io.berth.api.v1.ImmutabilityPolicyResource.PolicyList;
import io.berth.core.immutability.RuleScope;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** A repository's immutable tag rules, at Quay's paths; see {@link ImmutabilityPolicyResource}. */
@Path("/api/v1/repository")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryImmutabilityPolicyResource {

    @Inject
    ImmutabilityPolicyCalls calls;

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/immutabilitypolicy/")
    public CompletionStage<PolicyList> repositoryPolicies(@PathParam("repository") String repository) {
        return calls.list(repositoryScope(repository));
    }

    @POST
    @Path("/{repository: " + RepositoryPath.REGEX + "}/immutabilitypolicy/")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Policy.class)))
    public CompletionStage<Response> createRepositoryPolicy(@PathParam("repository") String repository, PolicyBody body) {
        return calls.create(repositoryScope(repository), body);
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/immutabilitypolicy/{uuid}")
    public CompletionStage<Policy> repositoryPolicy(@PathParam("repository") String repository, @PathParam("uuid") String uuid) {
        return calls.get(repositoryScope(repository), uuid);
    }

    @PUT
    @Path("/{repository: " + RepositoryPath.REGEX + "}/immutabilitypolicy/{uuid}")
    public CompletionStage<Policy> updateRepositoryPolicy(@PathParam("repository") String repository, @PathParam("uuid") String uuid,
            PolicyBody body) {
        return calls.update(repositoryScope(repository), uuid, body);
    }

    @DELETE
    @Path("/{repository: " + RepositoryPath.REGEX + "}/immutabilitypolicy/{uuid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteRepositoryPolicy(@PathParam("repository") String repository, @PathParam("uuid") String uuid) {
        return calls.delete(repositoryScope(repository), uuid);
    }

    private static RuleScope repositoryScope(String repository) {
        return RuleScope.repository(RepositoryResource.name(repository));
    }
}
