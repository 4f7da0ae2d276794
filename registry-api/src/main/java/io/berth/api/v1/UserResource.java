package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.account.AccountRecords;
import io.berth.core.account.AccountService;
import io.berth.core.auth.Principal;
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

/** The signed-in user ({@code /user/}) and, for administrators, all users ({@code /superuser/users/}), at Quay's paths. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {
    private static final int MAX_LIMIT = 1000;

    public record UserBody(String username, String email, String password) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(String username, String email, boolean super_user, Instant createdAt, String password) {
    }

    public record UserList(List<User> users) {
    }

    @Inject
    AccountService accounts;

    @Inject
    ApiCaller caller;

    @GET
    @Path("/user/")
    public CompletionStage<User> me() {
        return caller.principal().compose(this::me).toCompletionStage();
    }

    /** Changes the caller's password. */
    @PUT
    @Path("/user/")
    public CompletionStage<User> changePassword(UserBody body) {
        return caller.principal()
                .compose(actor -> accounts.changePassword(actor, Bodies.required(body).password()).compose(changed -> me(actor)))
                .toCompletionStage();
    }

    @POST
    @Path("/superuser/users/")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = User.class)))
    public CompletionStage<Response> create(UserBody body) {
        UserBody request = Bodies.required(body);
        return caller.principal().compose(actor -> accounts.createUser(actor, request.username(), request.email(), request.password()))
                .map(created -> Response.status(201).entity(view(created.user(), created.generatedPassword())).build())
                .toCompletionStage();
    }

    @GET
    @Path("/superuser/users/")
    public CompletionStage<UserList> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return caller.principal().compose(actor -> accounts.users(actor, QueryParameters.integer("limit", limit, 100, 1, MAX_LIMIT),
                        QueryParameters.integer("offset", offset, 0, 0, Integer.MAX_VALUE)))
                .map(users -> new UserList(users.stream().map(user -> view(user, null)).toList())).toCompletionStage();
    }

    @DELETE
    @Path("/superuser/users/{username}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public CompletionStage<Response> delete(@PathParam("username") String username) {
        return caller.principal().compose(actor -> accounts.deleteUser(actor, username))
                .map(deleted -> Response.noContent().build()).toCompletionStage();
    }

    private Future<User> me(Principal actor) {
        return accounts.user(actor, actor.name()).map(row -> view(row, null));
    }

    private static User view(AccountRecords.UserRow row, String password) {
        return new User(row.username(), row.email(), row.superuser(), row.createdAt(), password);
    }
}
