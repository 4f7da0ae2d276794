package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.core.accesstoken.AccessTokenQuery;
import io.berth.core.accesstoken.AccessTokenRecords;
import io.berth.core.accesstoken.AccessTokenRequest;
import io.berth.core.accesstoken.AccessTokenService;
import io.berth.core.accesstoken.AccessTokenView;
import io.berth.core.error.ManagementException;
import io.berth.core.paging.SortOrder;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Personal access tokens, in the shape of the Container Registry API's tokens: a scope over all
 * registries or chosen ones (here: namespaces, named in {@code registryIds}), read-only or
 * read-write, an expiry, and a secret shown once.
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

    @Inject
    AccessTokenService service;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    @POST
    public Response create(@QueryParam("docker-config") @DefaultValue("false") boolean dockerConfig, TokenBody body) {
        TokenBody request = Bodies.required(body);
        AccessTokenView created = service.create(caller.principal(), new AccessTokenRequest(request.name(),
                expiry(request.expiration()), scope(request.scope())));
        logged("create_access_token", created);
        if (dockerConfig) {
            String auth = Base64.getEncoder().encodeToString((caller.principal().name() + ":" + created.secret())
                    .getBytes(StandardCharsets.UTF_8));
            return Response.status(201).entity(Map.of("auths", Map.of(caller.host(), Map.of("auth", auth)))).build();
        }
        return Response.status(201).entity(view(created)).build();
    }

    @GET
    public TokenList list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
            @QueryParam("sort_field") String sortField, @QueryParam("sort_type") String sortType, @QueryParam("search") String search,
            @QueryParam("scope_mode") String scopeMode) {
        AccessTokenRecords.Page page = service.list(caller.principal(), new AccessTokenQuery(
                QueryParameters.integer("limit", limit, 10, 1, AccessTokenQuery.MAX_LIMIT),
                QueryParameters.integer("offset", offset, 0, 0, Integer.MAX_VALUE),
                AccessTokenQuery.SortField.parse(sortField), SortOrder.descending(sortType), search,
                AccessTokenQuery.parseScopeMode(scopeMode)));
        return new TokenList(page.tokens().stream().map(AccessTokenResource::view).toList(), page.totalCount());
    }

    @GET
    @Path("/{id}")
    public Token get(@PathParam("id") String id) {
        return view(service.get(caller.principal(), tokenId(id)));
    }

    @PATCH
    @Path("/{id}")
    public Token update(@PathParam("id") String id, TokenBody body) {
        TokenBody request = Bodies.required(body);
        return view(logged("change_access_token", service.update(caller.principal(), tokenId(id), new AccessTokenRequest(request.name(),
                request.expiration() == null ? null : expiry(request.expiration()),
                request.scope() == null ? null : scope(request.scope())))));
    }

    /** The same update under PUT, for clients that do not send PATCH. */
    @PUT
    @Path("/{id}")
    public Token replace(@PathParam("id") String id, TokenBody body) {
        return update(id, body);
    }

    @POST
    @Path("/{id}/refresh")
    public Token refresh(@PathParam("id") String id, ExpirationBody body) {
        return view(logged("refresh_access_token", service.refresh(caller.principal(), tokenId(id),
                expiry(Bodies.required(body).expiration()))));
    }

    @POST
    @Path("/{id}/regenerate")
    public Token regenerate(@PathParam("id") String id, ExpirationBody body) {
        return view(logged("regenerate_access_token", service.regenerate(caller.principal(), tokenId(id),
                expiry(Bodies.required(body).expiration()))));
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        service.revoke(caller.principal(), tokenId(id));
        usage.namespace(caller, "revoke_access_token", caller.principal().name(), UsageRecorder.details("token", id));
        return Response.noContent().build();
    }

    /** Records a token operation in its owner's namespace (never with the secret). */
    private AccessTokenView logged(String kind, AccessTokenView token) {
        usage.namespace(caller, kind, caller.principal().name(), UsageRecorder.details("token", token.id().toString(), "name", token.name()));
        return token;
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

    private static UUID tokenId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ManagementException.notFound("Token not found.");
        }
    }
}
