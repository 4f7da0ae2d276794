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
import java.util.concurrent.CompletionStage;
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
    public CompletionStage<PermissionMap> list(@PathParam("repository") String repository) {
        return caller.principal().compose(actor -> access.list(actor, RepositoryResource.name(repository))).map(grants -> {
            Map<String, Permission> permissions = new LinkedHashMap<>();
            grants.forEach(grant -> permissions.put(grant.name(), view(grant)));
            return new PermissionMap(permissions);
        }).toCompletionStage();
    }

    @GET
    @Path("/{repository: " + RepositoryPath.REGEX + "}/permissions/user/{username}")
    public CompletionStage<Permission> get(@PathParam("repository") String repository, @PathParam("username") String username) {
        return caller.principal().compose(actor -> access.get(actor, RepositoryResource.name(repository), username))
                .map(RepositoryAccessResource::view).toCompletionStage();
    }

    @PUT
    @Path("/{repository: " + RepositoryPath.REGEX + "}/permissions/user/{username}")
    public CompletionStage<Permission> set(@PathParam("repository") String repository, @PathParam("username") String username,
            RoleBody body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = RepositoryResource.name(repository);
            return access.set(actor, name, username, Role.parse(Bodies.required(body).role())).map(grant -> {
                Permission granted = view(grant);
                usage.repository(actor, ip, "change_repo_permission", name, UsageRecorder.details("name", granted.name(), "role", granted.role()));
                return granted;
            });
        }).toCompletionStage();
    }

    @DELETE
    @Path("/{repository: " + RepositoryPath.REGEX + "}/permissions/user/{username}")
    @APIResponse(responseCode = "204", description = "Withdrawn")
    public CompletionStage<Response> delete(@PathParam("repository") String repository, @PathParam("username") String username) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = RepositoryResource.name(repository);
            return access.delete(actor, name, username).map(deleted -> {
                usage.repository(actor, ip, "delete_repo_permission", name, UsageRecorder.details("name", username));
                return Response.noContent().build();
            });
        }).toCompletionStage();
    }

    @POST
    @Path("/{repository: " + RepositoryPath.REGEX + "}/changevisibility")
    public CompletionStage<Visibility> changeVisibility(@PathParam("repository") String repository, VisibilityBody body) {
        String visibility = Bodies.required(body).visibility();
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            RepositoryName name = RepositoryResource.name(repository);
            return access.changeVisibility(actor, name, visibility).map(changed -> {
                usage.repository(actor, ip, "change_repo_visibility", name, UsageRecorder.details("visibility", visibility));
                return new Visibility(repository, visibility);
            });
        }).toCompletionStage();
    }

    private static Permission view(RepositoryAccessService.Grant grant) {
        return new Permission(grant.name(), grant.role().wireName(), grant.robot());
    }
}
