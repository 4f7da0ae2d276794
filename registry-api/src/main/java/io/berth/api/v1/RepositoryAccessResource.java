package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import io.berth.core.account.RepositoryAccessService;
import io.berth.core.auth.Role;
import io.berth.core.domain.RepositoryName;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Who may use a repository: Quay's user permissions (robots are named {@code <namespace>+<name>})
 * and visibility. {@code {repository}} is the full repository path and may contain slashes.
 */
@Path("/api/v1/repository")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RepositoryAccessResource {

    public record RoleBody(String role) {
    }

    public record Permission(String name, String role, boolean is_robot) {
    }

    public record PermissionMap(Map<String, Permission> permissions) {
    }

    public record VisibilityBody(String visibility) {
    }

    public record Visibility(String repository, String visibility) {
    }

    @Inject
    RepositoryAccessService access;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/permissions/user/")
    public PermissionMap list(@PathParam("repository") String repository) {
        Map<String, Permission> permissions = new LinkedHashMap<>();
        access.list(caller.principal(), RepositoryResource.name(repository)).forEach(grant -> permissions.put(grant.name(), view(grant)));
        return new PermissionMap(permissions);
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/permissions/user/{username}")
    public Permission get(@PathParam("repository") String repository, @PathParam("username") String username) {
        return view(access.get(caller.principal(), RepositoryResource.name(repository), username));
    }

    @PUT
    @Path("/{repository: " + RepositoryPath.REGEX + "}/permissions/user/{username}")
    public Permission set(@PathParam("repository") String repository, @PathParam("username") String username, RoleBody body) {
        Permission granted = view(access.set(caller.principal(), RepositoryResource.name(repository), username,
                Role.parse(Bodies.required(body).role())));
        usage.repository(caller, "change_repo_permission", RepositoryResource.name(repository),
                UsageRecorder.details("name", granted.name(), "role", granted.role()));
        return granted;
    }

    @DELETE
    @Path("/{repository: " + RepositoryPath.REGEX + "}/permissions/user/{username}")
    @APIResponse(responseCode = "204", description = "Withdrawn")
    public Response delete(@PathParam("repository") String repository, @PathParam("username") String username) {
        access.delete(caller.principal(), RepositoryResource.name(repository), username);
        usage.repository(caller, "delete_repo_permission", RepositoryResource.name(repository), UsageRecorder.details("name", username));
        return Response.noContent().build();
    }

    @POST
    @Path("/{repository: " + RepositoryPath.REGEX + "}/changevisibility")
    public Visibility changeVisibility(@PathParam("repository") String repository, VisibilityBody body) {
        String visibility = Bodies.required(body).visibility();
        access.changeVisibility(caller.principal(), RepositoryResource.name(repository), visibility);
        usage.repository(caller, "change_repo_visibility", RepositoryResource.name(repository),
                UsageRecorder.details("visibility", visibility));
        return new Visibility(repository, visibility);
    }

    private static Permission view(RepositoryAccessService.Grant grant) {
        return new Permission(grant.name(), grant.role().wireName(), grant.robot());
    }
}
