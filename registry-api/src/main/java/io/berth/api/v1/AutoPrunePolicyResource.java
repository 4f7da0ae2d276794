package io.berth.api.v1;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Auto-prune policies at Quay's paths: an organization's ({@code org:admin}), the caller's own
 * namespace's under {@code /user}; a repository's are
 * {@link RepositoryAutoPrunePolicyResource}'s. A policy has Quay's
 * {@code method} and {@code value}, {@code tagPattern} and {@code tagPatternMatches}, and Berth's
 * {@code includeTagPattern} and {@code excludeTagPattern}; see {@link io.berth.core.autoprune.PruneMethod}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AutoPrunePolicyResource {
    @Inject
    AutoPrunePolicyCalls calls;

    @Inject
    PolicyOwners owners;

    @POST
    @Path("/organization/{org}/autoprunepolicy/")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = AutoPrunePolicyView.class)))
    public CompletionStage<Response> createForOrganization(@PathParam("org") String org, PolicyRequest body) {
        return calls.create(actor -> owners.organization(actor, org), body);
    }

    @GET
    @Path("/organization/{org}/autoprunepolicy/")
    public CompletionStage<AutoPrunePolicyCalls.PolicyList> listForOrganization(@PathParam("org") String org) {
        return calls.list(actor -> owners.organization(actor, org));
    }

    @GET
    @Path("/organization/{org}/autoprunepolicy/{policy_uuid}")
    public CompletionStage<AutoPrunePolicyView> getForOrganization(@PathParam("org") String org, @PathParam("policy_uuid") String uuid) {
        return calls.get(actor -> owners.organization(actor, org), uuid);
    }

    @PUT
    @Path("/organization/{org}/autoprunepolicy/{policy_uuid}")
    public CompletionStage<AutoPrunePolicyView> updateForOrganization(@PathParam("org") String org, @PathParam("policy_uuid") String uuid,
            PolicyRequest body) {
        return calls.update(actor -> owners.organization(actor, org), uuid, body);
    }

    @DELETE
    @Path("/organization/{org}/autoprunepolicy/{policy_uuid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteForOrganization(@PathParam("org") String org, @PathParam("policy_uuid") String uuid) {
        return calls.delete(actor -> owners.organization(actor, org), uuid);
    }

    @POST
    @Path("/user/autoprunepolicy/")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = AutoPrunePolicyView.class)))
    public CompletionStage<Response> createForUser(PolicyRequest body) {
        return calls.create(owners::user, body);
    }

    @GET
    @Path("/user/autoprunepolicy/")
    public CompletionStage<AutoPrunePolicyCalls.PolicyList> listForUser() {
        return calls.list(owners::user);
    }

    @GET
    @Path("/user/autoprunepolicy/{policy_uuid}")
    public CompletionStage<AutoPrunePolicyView> getForUser(@PathParam("policy_uuid") String uuid) {
        return calls.get(owners::user, uuid);
    }

    @PUT
    @Path("/user/autoprunepolicy/{policy_uuid}")
    public CompletionStage<AutoPrunePolicyView> updateForUser(@PathParam("policy_uuid") String uuid, PolicyRequest body) {
        return calls.update(owners::user, uuid, body);
    }

    @DELETE
    @Path("/user/autoprunepolicy/{policy_uuid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteForUser(@PathParam("policy_uuid") String uuid) {
        return calls.delete(owners::user, uuid);
    }
}
