package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.immutability.ImmutabilityRule;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Immutable tag rules at Quay's paths: an organization's (they apply to all of its repositories)
 * here, a repository's in {@link RepositoryImmutabilityPolicyResource}; create, list, get, update
 * (PUT) and delete by {@code uuid}. A rule's {@code tagPattern} is a Java regular expression matched
 * against whole tag names.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ImmutabilityPolicyResource {

    /** A rule: Quay's fields, then where it applies, when and by whom it was made. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(String uuid, String tagPattern, boolean tagPatternMatches, String namespace, String repository,
            Instant createdAt, String createdBy) {
        static Policy of(ImmutabilityRule rule) {
            return new Policy(rule.id().toString(), rule.pattern().source(), rule.matching(), rule.namespace(), rule.repository(),
                    rule.createdAt(), rule.createdBy());
        }
    }

    public record PolicyList(List<Policy> policies) {
    }

    /** {@code tagPatternMatches} (default true): false protects the tags the pattern does not match. */
    public record PolicyBody(String tagPattern, Boolean tagPatternMatches) {
    }

    @Inject
    ImmutabilityPolicyCalls calls;

    @GET
    @Path("/organization/{org}/immutabilitypolicy/")
    public CompletionStage<PolicyList> organizationPolicies(@PathParam("org") String org) {
        return calls.list(RuleScope.organization(org));
    }

    @POST
    @Path("/organization/{org}/immutabilitypolicy/")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Policy.class)))
    public CompletionStage<Response> createOrganizationPolicy(@PathParam("org") String org, PolicyBody body) {
        return calls.create(RuleScope.organization(org), body);
    }

    @GET
    @Path("/organization/{org}/immutabilitypolicy/{uuid}")
    public CompletionStage<Policy> organizationPolicy(@PathParam("org") String org, @PathParam("uuid") String uuid) {
        return calls.get(RuleScope.organization(org), uuid);
    }

    @PUT
    @Path("/organization/{org}/immutabilitypolicy/{uuid}")
    public CompletionStage<Policy> updateOrganizationPolicy(@PathParam("org") String org, @PathParam("uuid") String uuid, PolicyBody body) {
        return calls.update(RuleScope.organization(org), uuid, body);
    }

    @DELETE
    @Path("/organization/{org}/immutabilitypolicy/{uuid}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteOrganizationPolicy(@PathParam("org") String org, @PathParam("uuid") String uuid) {
        return calls.delete(RuleScope.organization(org), uuid);
    }
}
