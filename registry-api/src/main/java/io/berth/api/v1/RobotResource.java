package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.account.RobotRecords;
import io.berth.core.account.RobotService;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.vertx.core.Future;
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
    public CompletionStage<RobotList> organizationRobots(@PathParam("org") String org, @QueryParam("limit") String limit,
            @QueryParam("permissions") String permissions) {
        int count = limit(limit);
        boolean withPermissions = withPermissions(permissions);
        return caller.principal().compose(actor -> list(actor, org, count, withPermissions)).toCompletionStage();
    }

    @GET
    @Path("/organization/{org}/robots/{shortname}")
    public CompletionStage<Robot> organizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName) {
        return caller.principal().compose(actor -> robot(actor, org, shortName)).toCompletionStage();
    }

    @PUT
    @Path("/organization/{org}/robots/{shortname}")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Robot.class)))
    public CompletionStage<Response> createOrganizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName,
            RobotBody body) {
        String metadata = metadata(body);
        String ip = caller.ip();
        return caller.principal().compose(actor -> create(actor, ip, org, shortName, body, metadata)).toCompletionStage();
    }

    @DELETE
    @Path("/organization/{org}/robots/{shortname}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteOrganizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> delete(actor, ip, org, shortName)).toCompletionStage();
    }

    @POST
    @Path("/organization/{org}/robots/{shortname}/regenerate")
    public CompletionStage<Robot> regenerateOrganizationRobot(@PathParam("org") String org, @PathParam("shortname") String shortName) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> regenerate(actor, ip, org, shortName)).toCompletionStage();
    }

    @GET
    @Path("/organization/{org}/robots/{shortname}/permissions")
    public CompletionStage<PermissionList> organizationRobotPermissions(@PathParam("org") String org,
            @PathParam("shortname") String shortName) {
        return caller.principal().compose(actor -> permissions(actor, org, shortName)).map(PermissionList::new).toCompletionStage();
    }

    @GET
    @Path("/user/robots")
    public CompletionStage<RobotList> userRobots(@QueryParam("limit") String limit,
            @QueryParam("permissions") String permissions) {
        return caller.principal().compose(actor -> {
            String namespace = ownNamespace(actor);
            return list(actor, namespace, limit(limit), withPermissions(permissions));
        }).toCompletionStage();
    }

    @GET
    @Path("/user/robots/{shortname}")
    public CompletionStage<Robot> userRobot(@PathParam("shortname") String shortName) {
        return caller.principal().compose(actor -> robot(actor, ownNamespace(actor), shortName)).toCompletionStage();
    }

    @PUT
    @Path("/user/robots/{shortname}")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = Robot.class)))
    public CompletionStage<Response> createUserRobot(@PathParam("shortname") String shortName, RobotBody body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> {
            String namespace = ownNamespace(actor);
            return create(actor, ip, namespace, shortName, body, metadata(body));
        }).toCompletionStage();
    }

    @DELETE
    @Path("/user/robots/{shortname}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> deleteUserRobot(@PathParam("shortname") String shortName) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> delete(actor, ip, ownNamespace(actor), shortName)).toCompletionStage();
    }

    @POST
    @Path("/user/robots/{shortname}/regenerate")
    public CompletionStage<Robot> regenerateUserRobot(@PathParam("shortname") String shortName) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> regenerate(actor, ip, ownNamespace(actor), shortName)).toCompletionStage();
    }

    @GET
    @Path("/user/robots/{shortname}/permissions")
    public CompletionStage<PermissionList> userRobotPermissions(@PathParam("shortname") String shortName) {
        return caller.principal().compose(actor -> permissions(actor, ownNamespace(actor), shortName)).map(PermissionList::new)
                .toCompletionStage();
    }

    private Future<Robot> robot(Principal actor, String namespace, String shortName) {
        return robots.get(actor, namespace, shortName).map(robot -> view(robot, null, null));
    }

    /** The body's metadata as JSON text, or null when it has none. */
    private static String metadata(RobotBody body) {
        String metadata = body == null || body.unstructured_metadata() == null ? null : body.unstructured_metadata().toString();
        if (body != null && body.unstructured_metadata() != null && !body.unstructured_metadata().isObject()) {
            throw ManagementException.badRequest("unstructured_metadata must be a JSON object");
        }
        return metadata;
    }

    private Future<Response> create(Principal actor, String ip, String namespace, String shortName, RobotBody body, String metadata) {
        return robots.create(actor, namespace, shortName, body == null ? null : body.description(), metadata).map(created -> {
            usage.namespace(actor, ip, "create_robot", namespace, UsageRecorder.details("robot", created.robot().fullName()));
            return Response.status(201).entity(view(created.robot(), created.token(), null)).build();
        });
    }

    private Future<Response> delete(Principal actor, String ip, String namespace, String shortName) {
        return robots.delete(actor, namespace, shortName).map(deleted -> {
            usage.namespace(actor, ip, "delete_robot", namespace, UsageRecorder.details("robot", namespace + "+" + shortName));
            return Response.noContent().build();
        });
    }

    private Future<Robot> regenerate(Principal actor, String ip, String namespace, String shortName) {
        return robots.regenerate(actor, namespace, shortName).map(regenerated -> {
            usage.namespace(actor, ip, "regenerate_robot_token", namespace,
                    UsageRecorder.details("robot", regenerated.robot().fullName()));
            return view(regenerated.robot(), regenerated.token(), null);
        });
    }

    /** The robots, each with its permissions when asked; these are read one robot after the other, never at once. */
    private Future<RobotList> list(Principal actor, String namespace, int count, boolean withPermissions) {
        return robots.list(actor, namespace, count)
                .compose(found -> Futures.sequentially(found, robot -> withPermissions
                        ? permissions(actor, namespace, robot.shortName()).map(granted -> view(robot, null, granted))
                        : Future.succeededFuture(view(robot, null, null))))
                .map(RobotList::new);
    }

    private static int limit(String limit) {
        return QueryParameters.integer("limit", limit, 100, 1, MAX_LIMIT);
    }

    private static boolean withPermissions(String permissions) {
        return QueryParameters.bool("permissions", permissions, false);
    }

    private Future<List<Permission>> permissions(Principal actor, String namespace, String shortName) {
        return robots.permissions(actor, namespace, shortName).map(grants -> grants.stream()
                .map(grant -> new Permission(grant.repository(), grant.role().wireName())).toList());
    }

    /** The caller's own namespace: a user's robots live there. */
    private static String ownNamespace(Principal actor) {
        var user = actor.user();
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
