package io.berth.api.v1;

import io.berth.core.account.AccountRecords;
import io.berth.core.account.AccountService;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/** Organizations (namespaces shared by a team) and their members' roles, at Quay's paths. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrganizationResource {

    public record OrganizationBody(String name, String email) {
    }

    public record Organization(String name, String email, Instant createdAt) {
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
    public Response create(OrganizationBody body) {
        OrganizationBody request = Bodies.required(body);
        return Response.status(201).entity(view(accounts.createOrganization(caller.principal(), request.name(), request.email()))).build();
    }

    @GET
    @Path("/organization/{org}")
    public Organization get(@PathParam("org") String org) {
        return view(accounts.organization(caller.principal(), org));
    }

    @PUT
    @Path("/organization/{org}")
    public Organization update(@PathParam("org") String org, OrganizationBody body) {
        return view(accounts.updateOrganization(caller.principal(), org, Bodies.required(body).email()));
    }

    @DELETE
    @Path("/organization/{org}")
    public Response delete(@PathParam("org") String org) {
        accounts.deleteOrganization(caller.principal(), org);
        return Response.noContent().build();
    }

    @GET
    @Path("/organization/{org}/members")
    public MemberList members(@PathParam("org") String org) {
        return new MemberList(accounts.members(caller.principal(), org).stream().map(OrganizationResource::view).toList());
    }

    @GET
    @Path("/organization/{org}/members/{member}")
    public Member member(@PathParam("org") String org, @PathParam("member") String member) {
        return view(accounts.member(caller.principal(), org, member));
    }

    @PUT
    @Path("/organization/{org}/members/{member}")
    public Member setMember(@PathParam("org") String org, @PathParam("member") String member, MemberBody body) {
        return view(accounts.setMember(caller.principal(), org, member, Role.parse(Bodies.required(body).role())));
    }

    @DELETE
    @Path("/organization/{org}/members/{member}")
    public Response removeMember(@PathParam("org") String org, @PathParam("member") String member) {
        accounts.removeMember(caller.principal(), org, member);
        return Response.noContent().build();
    }

    private static Organization view(AccountRecords.NamespaceRow row) {
        return new Organization(row.name(), row.email(), row.createdAt());
    }

    private static Member view(AccountRecords.MemberRow row) {
        return new Member(row.username(), row.role().wireName(), row.since());
    }
}
