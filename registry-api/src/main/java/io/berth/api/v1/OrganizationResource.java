package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.account.AccountRecords;
import io.berth.core.account.AccountService;
import io.berth.core.account.OrganizationCatalog;
import io.berth.core.account.OrganizationView;
import io.berth.core.paging.SortOrder;
import io.berth.core.auth.Role;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Organizations (namespaces shared by a team) with their sizes, and their members' roles, at Quay's paths. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrganizationResource {
    private static final int MAX_LIMIT = 1000;

    /** {@code sizeLimit} in bytes (0 removes it): administrators only. */
    public record OrganizationBody(String name, String email, Long sizeLimit) {
    }

    /**
     * An organization, also in the shape of the Container Registry API's registry: its {@code id} is its
     * name (what paths and tokens' {@code registryIds} take), its {@code status} {@code active} (an
     * organization is ready once created).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Organization(String id, String name, String status, String email, Instant createdAt, long repositoryCount, long size,
            Long sizeLimit, Integer used) {
    }

    /** Quay's {@code organizations}, and the same list as {@code registries} for the Container Registry API's clients. */
    public record OrganizationList(List<Organization> organizations, List<Organization> registries, long totalCount) {
        OrganizationList(List<Organization> organizations, long totalCount) {
            this(organizations, organizations, totalCount);
        }
    }

    public record MemberBody(String role) {
    }

    public record Member(String name, String role, Instant since) {
    }

    public record MemberList(List<Member> members) {
    }

    @Inject
    AccountService accounts;

    @Inject
    ApiCaller caller;

    @POST
    @Path("/organization/")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Organization.class)))
    public CompletionStage<Response> create(OrganizationBody body) {
        OrganizationBody request = Bodies.required(body);
        return caller.principal().compose(actor -> accounts.createOrganization(actor, request.name(), request.email()))
                .map(created -> Response.status(201).entity(view(created)).build()).toCompletionStage();
    }

    /** The organizations the caller belongs to (all, for administrators), with size, limit and use. */
    @GET
    @Path("/organization/")
    public CompletionStage<OrganizationList> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
            @QueryParam("search") String search, @QueryParam("sort_field") String sortField, @QueryParam("sort_type") String sortType) {
        return caller.principal().compose(actor -> accounts.organizations(actor, search, OrganizationCatalog.SortField.parse(sortField),
                        SortOrder.descending(sortType), QueryParameters.integer("limit", limit, 100, 1, MAX_LIMIT),
                        QueryParameters.integer("offset", offset, 0, 0, Integer.MAX_VALUE)))
                .map(page -> new OrganizationList(page.organizations().stream().map(OrganizationResource::view).toList(), page.totalCount()))
                .toCompletionStage();
    }

    @GET
    @Path("/organization/{org}")
    public CompletionStage<Organization> get(@PathParam("org") String org) {
        return caller.principal().compose(actor -> accounts.organization(actor, org)).map(OrganizationResource::view).toCompletionStage();
    }

    @PUT
    @Path("/organization/{org}")
    public CompletionStage<Organization> update(@PathParam("org") String org, OrganizationBody body) {
        OrganizationBody request = Bodies.required(body);
        return caller.principal().compose(actor -> accounts.updateOrganization(actor, org, request.email(), request.sizeLimit()))
                .map(OrganizationResource::view).toCompletionStage();
    }

    @DELETE
    @Path("/organization/{org}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> delete(@PathParam("org") String org) {
        return caller.principal().compose(actor -> accounts.deleteOrganization(actor, org))
                .map(deleted -> Response.noContent().build()).toCompletionStage();
    }

    @GET
    @Path("/organization/{org}/members")
    public CompletionStage<MemberList> members(@PathParam("org") String org) {
        return caller.principal().compose(actor -> accounts.members(actor, org))
                .map(members -> new MemberList(members.stream().map(OrganizationResource::view).toList())).toCompletionStage();
    }

    @GET
    @Path("/organization/{org}/members/{member}")
    public CompletionStage<Member> member(@PathParam("org") String org, @PathParam("member") String member) {
        return caller.principal().compose(actor -> accounts.member(actor, org, member)).map(OrganizationResource::view).toCompletionStage();
    }

    @PUT
    @Path("/organization/{org}/members/{member}")
    public CompletionStage<Member> setMember(@PathParam("org") String org, @PathParam("member") String member, MemberBody body) {
        return caller.principal().compose(actor -> accounts.setMember(actor, org, member, Role.parse(Bodies.required(body).role())))
                .map(OrganizationResource::view).toCompletionStage();
    }

    @DELETE
    @Path("/organization/{org}/members/{member}")
    @APIResponse(responseCode = "204", description = "Removed")
    public CompletionStage<Response> removeMember(@PathParam("org") String org, @PathParam("member") String member) {
        return caller.principal().compose(actor -> accounts.removeMember(actor, org, member))
                .map(removed -> Response.noContent().build()).toCompletionStage();
    }

    private static Organization view(OrganizationView organization) {
        return new Organization(organization.name(), organization.name(), "active", organization.email(), organization.createdAt(),
                organization.repositoryCount(), organization.size(), organization.sizeLimit(), organization.used());
    }

    private static Member view(AccountRecords.MemberRow row) {
        return new Member(row.username(), row.role().wireName(), row.since());
    }
}
