package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.core.accesstoken.AccessTokenQuery;
import io.berth.core.accesstoken.AccessTokenRequest;
import io.berth.core.accesstoken.AccessTokenService;
import io.berth.core.accesstoken.AccessTokenView;
import io.berth.core.accesstoken.TokenLifetime;
import io.berth.core.auth.AccessTokenSecret;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.paging.SortOrder;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Personal access tokens, in the shape of the Container Registry API's tokens: a scope over all
 * registries or chosen ones (here: namespaces, named in {@code registryIds}), read-only or
 * read-write, an expiry, and a secret shown once. Also its short-lived tokens: created without a
 * body for a {@code ttl}, refreshed and revoked by their value, answering
 * {@code {token, expireAt, expireIn}}. {@code {id}} is a token's id, or its value.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccessTokenResource {

    public record Expiration(@JsonProperty("isSet") boolean isSet, Instant expiresAt) {
    }

    public record TokenScope(boolean allRegistries, @JsonProperty("modeRW") boolean modeRW, List<String> registryIds) {
    }

    public record TokenBody(String name, Expiration expiration, TokenScope scope) {
    }

    public record ExpirationBody(Expiration expiration) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Token(String id, String name, Instant createdAt, @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastUsedAt,
            Expiration expiration, TokenScope scope, String status, String token) {
    }

    public record TokenList(List<Token> tokens, long totalCount) {
    }

    /** A token as the Container Registry API's ttl operations answer it: {@code expireAt} in seconds since the epoch, {@code expireIn} from now. */
    public record IssuedToken(String id, String token, long expireAt, long expireIn) {
        static IssuedToken of(AccessTokenView token, String secret) {
            long expireAt = token.expiresAt().getEpochSecond();
            return new IssuedToken(token.id().toString(), secret, expireAt, Math.max(0, expireAt - Instant.now().getEpochSecond()));
        }
    }

    /** A Docker client configuration signing in with the token, and the token's id to manage it by. */
    public record DockerConfig(Map<String, Map<String, String>> auths, String id) {
    }

    @Inject
    AccessTokenService service;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    /**
     * With a body, the token it describes; without one, a token of the caller's own rights for
     * {@code ttl} (12h or 1y). {@code docker-config=true} answers a Docker configuration instead.
     */
    @POST
    @APIResponse(responseCode = "201", description = "Created; the secret is in the answer, this once: the token, or for a ttl"
            + " {id, token, expireAt, expireIn}, or with docker-config a Docker configuration",
            content = @Content(schema = @Schema(oneOf = {Token.class, IssuedToken.class, DockerConfig.class})))
    public CompletionStage<Response> create(@QueryParam("docker-config") String dockerConfig, @QueryParam("ttl") String ttl,
            TokenBody body) {
        boolean asDockerConfig = QueryParameters.bool("docker-config", dockerConfig, false);
        if (body == null) {
            return issue(ttl, asDockerConfig).toCompletionStage();
        }
        if (ttl != null) {
            throw ManagementException.badRequest("ttl is for a token created without a body; a body gives its own expiration");
        }
        Origin origin = new Origin();
        return caller.principal().compose(actor -> service.create(actor, new AccessTokenRequest(body.name(),
                        expiry(body.expiration()), scope(body.scope())))
                .map(created -> {
                    origin.logged(actor, "create_access_token", created);
                    return Response.status(201).entity(asDockerConfig ? origin.dockerConfig(actor, created) : view(created)).build();
                })).toCompletionStage();
    }

    /** {@link #create} for a request without a body, which the Container Registry API's clients send without a Content-Type. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public CompletionStage<Response> createWithoutBody(@QueryParam("docker-config") String dockerConfig, @QueryParam("ttl") String ttl,
            @Context HttpHeaders headers) {
        requireNoBody(headers);
        return issue(ttl, QueryParameters.bool("docker-config", dockerConfig, false)).toCompletionStage();
    }

    private Future<Response> issue(String ttl, boolean asDockerConfig) {
        Origin origin = new Origin();
        return caller.principal().compose(actor -> service.issue(actor, TokenLifetime.parse(ttl)).map(issued -> {
            origin.logged(actor, "create_access_token", issued);
            return Response.status(201).entity(asDockerConfig ? origin.dockerConfig(actor, issued) : IssuedToken.of(issued, issued.secret()))
                    .build();
        }));
    }

    @GET
    public CompletionStage<TokenList> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
            @QueryParam("sort_field") String sortField, @QueryParam("sort_type") String sortType, @QueryParam("search") String search,
            @QueryParam("scope_mode") String scopeMode) {
        return caller.principal().compose(actor -> service.list(actor, new AccessTokenQuery(
                        QueryParameters.integer("limit", limit, 10, 1, AccessTokenQuery.MAX_LIMIT),
                        QueryParameters.integer("offset", offset, 0, 0, Integer.MAX_VALUE),
                        AccessTokenQuery.SortField.parse(sortField), SortOrder.descending(sortType), search,
                        AccessTokenQuery.parseScopeMode(scopeMode))))
                .map(page -> new TokenList(page.tokens().stream().map(AccessTokenResource::view).toList(), page.totalCount()))
                .toCompletionStage();
    }

    @GET
    @Path("/{id}")
    public CompletionStage<Token> get(@PathParam("id") String id) {
        return caller.principal().compose(actor -> tokenId(actor, id).compose(token -> service.get(actor, token)))
                .map(AccessTokenResource::view).toCompletionStage();
    }

    @PATCH
    @Path("/{id}")
    public CompletionStage<Token> update(@PathParam("id") String id, TokenBody body) {
        TokenBody changes = Bodies.required(body);
        Origin origin = new Origin();
        return caller.principal().compose(actor -> tokenId(actor, id).compose(token -> service.update(actor, token,
                        new AccessTokenRequest(changes.name(), changes.expiration() == null ? null : expiry(changes.expiration()),
                                changes.scope() == null ? null : scope(changes.scope()))))
                .map(updated -> view(origin.logged(actor, "change_access_token", updated)))).toCompletionStage();
    }

    /** The same update under PUT, for clients that do not send PATCH. */
    @PUT
    @Path("/{id}")
    public CompletionStage<Token> replace(@PathParam("id") String id, TokenBody body) {
        return update(id, body);
    }

    /**
     * With a body, the expiration it gives; without one, addressed by its value, the token is renewed
     * for {@code ttl} (12h or 1y) and answered as the Container Registry API's refresh answers it.
     */
    @POST
    @Path("/{id}/refresh")
    @APIResponse(responseCode = "200", description = "Refreshed: the token, or renewed for a ttl {id, token, expireAt, expireIn}",
            content = @Content(schema = @Schema(oneOf = {Token.class, IssuedToken.class})))
    public CompletionStage<Response> refresh(@PathParam("id") String id, @QueryParam("ttl") String ttl, ExpirationBody body) {
        if (body == null) {
            return renew(id, ttl);
        }
        Origin origin = new Origin();
        return caller.principal().compose(actor -> tokenId(actor, id)
                        .compose(token -> service.refresh(actor, token, expiry(body.expiration())))
                        .map(refreshed -> Response.ok(view(origin.logged(actor, "refresh_access_token", refreshed))).build()))
                .toCompletionStage();
    }

    /** {@link #refresh} for a request without a body, which the Container Registry API's clients send without a Content-Type. */
    @POST
    @Path("/{id}/refresh")
    @Consumes(MediaType.WILDCARD)
    @Operation(hidden = true)
    public CompletionStage<Response> refreshWithoutBody(@PathParam("id") String id, @QueryParam("ttl") String ttl,
            @Context HttpHeaders headers) {
        requireNoBody(headers);
        return renew(id, ttl);
    }

    private CompletionStage<Response> renew(String value, String ttl) {
        if (!value.startsWith(AccessTokenSecret.PREFIX)) {
            throw ManagementException.badRequest("give the new expiration in the body, or address the token by its value to renew it"
                    + " for a ttl");
        }
        Origin origin = new Origin();
        return caller.principal().compose(actor -> service.idOf(actor, value)
                        .compose(token -> service.renew(actor, token, TokenLifetime.parse(ttl)))
                        .map(renewed -> Response.ok(IssuedToken.of(origin.logged(actor, "refresh_access_token", renewed), value)).build()))
                .toCompletionStage();
    }

    @POST
    @Path("/{id}/regenerate")
    @APIResponse(responseCode = "200", description = "The token with its new secret, this once (or with docker-config a Docker configuration)",
            content = @Content(schema = @Schema(oneOf = {Token.class, DockerConfig.class})))
    public CompletionStage<Response> regenerate(@PathParam("id") String id, @QueryParam("docker-config") String dockerConfig,
            ExpirationBody body) {
        Origin origin = new Origin();
        return caller.principal().compose(actor -> tokenId(actor, id)
                        .compose(token -> service.regenerate(actor, token, expiry(Bodies.required(body).expiration())))
                        .map(regenerated -> {
                            origin.logged(actor, "regenerate_access_token", regenerated);
                            return Response.ok(QueryParameters.bool("docker-config", dockerConfig, false)
                                    ? origin.dockerConfig(actor, regenerated) : view(regenerated)).build();
                        }))
                .toCompletionStage();
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Revoked")
    public CompletionStage<Response> revoke(@PathParam("id") String id) {
        // An id that is neither a token's id nor its value is not found, before the caller is even authenticated.
        UUID parsed = id.startsWith(AccessTokenSecret.PREFIX) ? null : parsedId(id);
        Origin origin = new Origin();
        return caller.principal().compose(actor -> (parsed != null ? Future.succeededFuture(parsed) : service.idOf(actor, id))
                        .compose(token -> service.revoke(actor, token).map(revoked -> {
                            usage.namespace(actor, origin.ip, "revoke_access_token", actor.name(),
                                    UsageRecorder.details("token", token.toString()));
                            return Response.noContent().build();
                        })))
                .toCompletionStage();
    }

    /**
     * What a token operation needs of its request once it has gone asynchronous, read while the
     * request is at hand: where it came from (for the usage log) and which host it addressed.
     */
    private final class Origin {
        final String ip;
        final String host;

        Origin() {
            this.ip = caller.ip();
            this.host = caller.host();
        }

        /** Records a token operation in its owner's namespace (never with the secret). */
        AccessTokenView logged(Principal actor, String kind, AccessTokenView token) {
            usage.namespace(actor, ip, kind, actor.name(), UsageRecorder.details("token", token.id().toString(), "name", token.name()));
            return token;
        }

        DockerConfig dockerConfig(Principal actor, AccessTokenView token) {
            String auth = Base64.getEncoder().encodeToString((actor.name() + ":" + token.secret()).getBytes(StandardCharsets.UTF_8));
            return new DockerConfig(Map.of(host, Map.of("auth", auth)), token.id().toString());
        }
    }

    private static Token view(AccessTokenView token) {
        return new Token(token.id().toString(), token.name(), token.createdAt(), token.lastUsedAt(),
                new Expiration(token.expiresAt() != null, token.expiresAt()),
                new TokenScope(token.allNamespaces(), token.readWrite(), token.namespaces()),
                token.status().name().toLowerCase(Locale.ROOT), token.secret());
    }

    private static AccessTokenRequest.Expiry expiry(Expiration expiration) {
        return expiration == null ? null : new AccessTokenRequest.Expiry(expiration.isSet(), expiration.expiresAt());
    }

    private static AccessTokenRequest.Scope scope(TokenScope scope) {
        return scope == null ? null : new AccessTokenRequest.Scope(scope.allRegistries(), scope.modeRW(),
                scope.registryIds() == null ? List.of() : scope.registryIds());
    }

    /** The token's id, given as such or as the token's value (whose secret is checked, never logged). */
    private Future<UUID> tokenId(Principal actor, String idOrValue) {
        if (idOrValue.startsWith(AccessTokenSecret.PREFIX)) {
            return service.idOf(actor, idOrValue);
        }
        return Futures.attempt(() -> Future.succeededFuture(parsedId(idOrValue)));
    }

    private static UUID parsedId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ManagementException.notFound("Token not found.");
        }
    }

    /** A request routed here for lack of a JSON Content-Type must then carry no body at all. */
    private static void requireNoBody(HttpHeaders headers) {
        if (headers.getLength() > 0 || headers.getHeaderString("Transfer-Encoding") != null) {
            throw new NotSupportedException();
        }
    }
}
