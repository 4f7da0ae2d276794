package io.berth.api.auth;

import io.berth.api.config.BerthConfig;
import io.berth.api.http.ExternalUrl;
import io.berth.core.auth.Action;
import io.berth.core.auth.Authenticator;
import io.berth.core.auth.CredentialDirectory;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Decides whether a /v2 request may proceed. Clients present a registry token (Bearer) from the
 * token endpoint, or Basic credentials directly. Without valid credentials the answer is 401 with
 * a challenge naming the token endpoint and the scope needed; with a token that lacks the scope
 * but whose holder has the right, also 401 (the client fetches a fitting token); when the caller
 * simply may not, 403 {@code DENIED}. A token whose credential was revoked, regenerated or deleted
 * is refused at once, and so is an action whose right was withdrawn after the token was issued.
 * Cached answers let a pull by token through without a query; the rest is a few futures over
 * the metadata database, none of them waiting on a thread.
 */
@Singleton
public class V2Authorizer {
    private final RegistryTokens tokens;
    private final Authenticator authenticator;
    private final CredentialDirectory directory;
    private final Permissions permissions;
    private final BerthConfig config;
    private final ExternalUrl externalUrl;

    @Inject
    public V2Authorizer(RegistryTokens tokens, Authenticator authenticator, CredentialDirectory directory, Permissions permissions,
            BerthConfig config, ExternalUrl externalUrl) {
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.directory = directory;
        this.permissions = permissions;
        this.config = config;
        this.externalUrl = externalUrl;
    }

    /** What a request needs: an action on a repository, or (both null) just a valid caller. */
    public record Requirement(RepositoryName repository, Action action) {
        public static final Requirement ANY_CALLER = new Requirement(null, null);
    }

    /** The caller, attached to {@code ctx}, once it may do what {@code requirement} says. */
    public Future<Caller> authorize(RoutingContext ctx, Requirement requirement) {
        String authorization = ctx.request().getHeader("Authorization");
        Future<Caller> caller;
        if (authorization == null) {
            caller = Future.failedFuture(challenge(ctx, requirement, null, "authentication required"));
        } else if (BasicCredentials.isBasic(authorization)) {
            caller = basic(ctx, authorization, requirement);
        } else {
            caller = bearer(ctx, BasicCredentials.bearer(authorization), requirement);
        }
        return caller.onSuccess(found -> found.attachTo(ctx));
    }

    /** Whether the caller may also {@code action} on another repository (a mount's source). */
    public Future<Boolean> may(Caller caller, RepositoryName repository, Action action) {
        if (caller.token() != null) {
            return Future.succeededFuture(caller.token().grants(repository.value(), action));
        }
        return allowedNow(caller.principal(), repository, action);
    }

    private Future<Caller> basic(RoutingContext ctx, String authorization, Requirement requirement) {
        Optional<BasicCredentials> credentials = BasicCredentials.parse(authorization);
        if (credentials.isEmpty()) {
            return Future.failedFuture(challenge(ctx, requirement, null, "malformed Basic credentials"));
        }
        return authenticator.authenticate(credentials.get().name(), credentials.get().secret()).compose(found -> {
            Principal principal = found.orElseThrow(() -> challenge(ctx, requirement, null, "invalid username or password"));
            if (requirement.repository() == null) {
                return Future.succeededFuture(new Caller(principal, null));
            }
            return allowedNow(principal, requirement.repository(), requirement.action()).compose(allowed -> allowed
                    ? Future.succeededFuture(new Caller(principal, null))
                    : denied(requirement));
        });
    }

    private Future<Caller> bearer(RoutingContext ctx, String presented, Requirement requirement) {
        Optional<RegistryToken> verified = presented == null ? Optional.empty() : tokens.verify(presented);
        if (verified.isEmpty()) {
            return Future.failedFuture(challenge(ctx, requirement, "invalid_token", "invalid or expired token"));
        }
        RegistryToken token = verified.get();
        Future<Principal> principal = principalOf(token)
                .map(found -> found.orElseThrow(() -> challenge(ctx, requirement, "invalid_token", "the credential of this token was revoked")));
        return principal.compose(found -> {
            if (requirement.repository() == null) {
                return Future.succeededFuture(new Caller(found, token));
            }
            boolean granted = token.grants(requirement.repository().value(), requirement.action());
            // The token's grants are an upper bound: a right withdrawn since it was issued is gone at once.
            return allowedNow(found, requirement.repository(), requirement.action()).compose(allowed -> {
                if (granted && allowed) {
                    return Future.succeededFuture(new Caller(found, token));
                }
                if (found instanceof Principal.Anonymous) {
                    return Future.failedFuture(challenge(ctx, requirement, "insufficient_scope", "authentication required"));
                }
                if (allowed) {
                    // Worth fetching another token: its holder has the right this one lacks.
                    return Future.failedFuture(challenge(ctx, requirement, "insufficient_scope",
                            "token does not grant " + requirement.action().scopeName()));
                }
                return denied(requirement);
            });
        });
    }

    /** Whether the principal may take {@code action} on the repository now (answered at once when cached). */
    private Future<Boolean> allowedNow(Principal principal, RepositoryName repository, Action action) {
        return permissions.actions(principal, repository).map(allowed -> allowed.contains(action));
    }

    private Future<Optional<Principal>> principalOf(RegistryToken token) {
        if (token.credentialId() == null) {
            return Future.succeededFuture(Optional.of(Principal.ANONYMOUS));
        }
        return directory.resolve(token.credentialId());
    }

    private ChallengedException challenge(RoutingContext ctx, Requirement requirement, String error, String detail) {
        StringBuilder header = new StringBuilder("Bearer realm=\"").append(realm(ctx.request()))
                .append("\",service=\"").append(config.auth().service()).append('"');
        if (requirement.repository() != null) {
            String actions = requirement.action() == Action.PUSH ? "pull,push" : requirement.action().scopeName();
            header.append(",scope=\"repository:").append(requirement.repository()).append(':').append(actions).append('"');
        }
        if (error != null) {
            header.append(",error=\"").append(error).append('"');
        }
        return new ChallengedException(detail, header.toString());
    }

    /** The refusal of a caller without the right; says so when the repository is read-only. */
    private <T> Future<T> denied(Requirement requirement) {
        Future<Boolean> readOnly = Action.READ_ONLY.contains(requirement.action()) ? Future.succeededFuture(false)
                : permissions.readOnly(requirement.repository());
        return readOnly.compose(refusedToAll -> Future.failedFuture(refusedToAll
                ? new RegistryException(OciErrorCode.DENIED, "repository " + requirement.repository()
                        + " is read-only: nothing in it changes until its state is NORMAL again")
                : new RegistryException(OciErrorCode.DENIED, "may not " + requirement.action().scopeName() + " " + requirement.repository())));
    }

    /** The token endpoint's URL: configured, or this registry as the client reaches it. */
    private String realm(HttpServerRequest request) {
        return config.auth().realm().orElseGet(() -> externalUrl.origin(request) + "/v2/token");
    }
}
