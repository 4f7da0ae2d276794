package io.berth.api.v1;

import io.berth.api.auth.BasicCredentials;
import io.berth.api.auth.RegistryToken;
import io.berth.api.auth.RegistryTokens;
import io.berth.api.http.ExternalUrl;
import io.berth.core.auth.AccessTokenSecret;
import io.berth.core.auth.Authenticator;
import io.berth.core.auth.CredentialDirectory;
import io.berth.core.auth.Principal;
import io.berth.core.error.ManagementException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Who calls the management API: HTTP Basic (user password, robot token or access token), or a
 * Bearer registry token from {@code /v2/token}, or a Bearer access token. Every endpoint needs
 * one; permissions are then checked by the services against the same model as pushes and pulls.
 * The credentials are checked once per request, however often {@link #principal} is asked.
 */
@RequestScoped
public class ApiCaller {
    @Inject
    HttpServerRequest request;

    @Inject
    Authenticator authenticator;

    @Inject
    RegistryTokens tokens;

    @Inject
    CredentialDirectory directory;

    @Inject
    ExternalUrl externalUrl;

    private Future<Principal> principal;

    /** The authenticated caller; failed with 401 when there is none. */
    public Future<Principal> principal() {
        if (principal == null) {
            principal = authenticate().map(found -> found.orElseThrow(() -> ManagementException.unauthorized("valid credentials are required")));
        }
        return principal;
    }

    /** The address the request came from. */
    public String ip() {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    /** This registry's host as the client reaches it, as a client's registry configuration would name it. */
    public String host() {
        return externalUrl.authority(request);
    }

    private Future<Optional<Principal>> authenticate() {
        String authorization = request.getHeader("Authorization");
        if (BasicCredentials.isBasic(authorization)) {
            return BasicCredentials.parse(authorization)
                    .map(basic -> authenticator.authenticate(basic.name(), basic.secret()))
                    .orElseGet(() -> Future.succeededFuture(Optional.empty()));
        }
        String bearer = BasicCredentials.bearer(authorization);
        if (bearer == null) {
            return Future.succeededFuture(Optional.empty());
        }
        if (bearer.startsWith(AccessTokenSecret.PREFIX)) {
            return authenticator.authenticate("", bearer);
        }
        return tokens.verify(bearer).map(RegistryToken::credentialId)
                .map(directory::resolve)
                .orElseGet(() -> Future.succeededFuture(Optional.empty()));
    }
}
