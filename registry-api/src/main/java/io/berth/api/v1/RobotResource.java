package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.account.RobotRecords;
import io.berth.core.account.RobotService;
import io.berth.core.error.ManagementException;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Robot accounts, at Quay's paths: an organization's under {@code /organization/{org}/robots} and
 * the caller's own under {@code /user/robots}. A robot's token is in the answer only when it was
 * just created or regenerated.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RobotResource {
    private static final int MAX_LIMIT = 1000;

    public record RobotBody(String description, JsonNode unstructured_metadata) {
    }

    public record Permission(String repository, String role) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Robot(String name, String description, Instant created, @JsonInclude(JsonInclude.Include.ALWAYS) Instant last_accessed,
            @JsonRawValue String unstructured_metadata, String token, List<Permission> repositories) {
    }

    public record RobotList(List<Robot> robots) {
    }

    public record PermissionList(List<Permission> permissions) {
    }

    @Inject
    RobotService robots;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @GET
    @Path("/organization/{org}/robots")
    public RobotList organizationRobots(@PathParam("org") String org, @QueryParam("limit") String limit,
            @QueryParam("permissions") String permissions) {
        return list(org, limit, permissions);
    }

    @GET
    @Path("/organization/{org}/robots/{shortname}")
    public Robot organizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName) {
        return view(robots.get(caller.principal(), org, shortName), null, null);
    }

    @PUT
    @Path("/organization/{org}/robots/{shortname}")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Robot.class)))
    public Response createOrganizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName, RobotBody body) {
        return create(org, shortName, body);
    }

    @DELETE
    @Path("/organization/{org}/robots/{shortname}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response deleteOrganizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName) {
        robots.delete(caller.principal(), org, shortName);
        usage.namespace(caller, "delete_robot", org, UsageRecorder.details("robot", org + "+" + shortName));
        return Response.noContent().build();
    }

    @POST
    @Path("/organization/{org}/robots/{shortname}/regenerate")
    public Robot regenerateOrganizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName) {
        RobotService.RobotWithToken regenerated = robots.regenerate(caller.principal(), org, shortName);
        usage.namespace(caller, "regenerate_robot_token", org, UsageRecorder.details("robot", regenerated.robot().fullName()));
        return view(regenerated.robot(), regenerated.token(), null);
    }

    @GET
    @Path("/organization/{org}/robots/{shortname}/permissions")
    public PermissionList organizationRobotPermissions(@PathParam("org") String org, @PathParam("shortname") String shortName) {
        return new PermissionList(permissions(org, shortName));
    }

    @GET
    @Path("/user/robots")
    public RobotList userRobots(@QueryParam("limit") String limit,
            @QueryParam("permissions") String permissions) {
        return list(ownNamespace(), limit, permissions);
    }

    @GET
    @Path("/user/robots/{shortname}")
    public Robot userRobot(@PathParam("shortname") String shortName) {
        return organizationRobot(ownNamespace(), shortName);
    }

    @PUT
    @Path("/user/robots/{shortname}")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Robot.class)))
    public Response createUserRobot(@PathParam("shortname") String shortName, RobotBody body) {
        return create(ownNamespace(), shortName, body);
    }

    @DELETE
    @Path("/user/robots/{shortname}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response deleteUserRobot(@PathParam("shortname") String shortName) {
        return deleteOrganizationRobot(ownNamespace(), shortName);
    }

    @POST
    @Path("/user/robots/{shortname}/regenerate")
    public Robot regenerateUserRobot(@PathParam("shortname") String shortName) {
        return regenerateOrganizationRobot(ownNamespace(), shortName);
    }

    @GET
    @Path("/user/robots/{shortname}/permissions")
    public PermissionList userRobotPermissions(@PathParam("shortname") String shortName) {
        return new PermissionList(permissions(ownNamespace(), shortName));
    }

    private Response create(String namespace, String shortName, RobotBody body) {
        String metadata = body == null || body.unstructured_metadata() == null ? null : body.unstructured_metadata().toString();
        if (body != null && body.unstructured_metadata() != null && !body.unstructured_metadata().isObject()) {
            throw ManagementException.badRequest("unstructured_metadata must be a JSON object");
        }
        RobotService.RobotWithToken created = robots.create(caller.principal(), namespace, shortName,
                body == null ? null : body.description(), metadata);
        usage.namespace(caller, "create_robot", namespace, UsageRecorder.details("robot", created.robot().fullName()));
        return Response.status(201).entity(view(created.robot(), created.token(), null)).build();
    }

    private RobotList list(String namespace, String limit, String permissions) {
        int count = QueryParameters.integer("limit", limit, 100, 1, MAX_LIMIT);
        boolean withPermissions = QueryParameters.bool("permissions", permissions, false);
        return new RobotList(robots.list(caller.principal(), namespace, count).stream()
                .map(robot -> view(robot, null, withPermissions ? permissions(namespace, robot.shortName()) : null))
                .toList());
    }

    private List<Permission> permissions(String namespace, String shortName) {
        return robots.permissions(caller.principal(), namespace, shortName).stream()
                .map(grant -> new Permission(grant.repository(), grant.role().wireName())).toList();
    }

    /** The caller's own namespace: a user's robots live there. */
    private String ownNamespace() {
        var user = caller.principal().user();
        if (user == null) {
            throw ManagementException.forbidden("only users have robots of their own");
        }
        return user.username();
    }

    private static Robot view(RobotRecords.RobotRow robot, String token, List<Permission> repositories) {
        return new Robot(robot.fullName(), robot.description(), robot.createdAt(), robot.lastUsedAt(), robot.metadataJson(), token,
                repositories);
    }
}
