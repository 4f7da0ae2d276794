package io.berth.api.auth;

import io.berth.api.audit.UsageRecorder;
import io.berth.api.config.BerthConfig;
import io.berth.core.auth.Action;
import io.berth.core.auth.Authenticator;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.protocol.BoundedBody;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The token endpoint of Docker's token protocol ({@code /v2/token}): {@code GET} with optional
 * Basic credentials and {@code scope} parameters, or the OAuth2 {@code POST} form containerd uses
 * ({@code grant_type=password}). Without credentials the caller is anonymous. The token grants, of
 * each requested scope, only the actions the caller may take; an unknown or invalid scope is
 * simply not granted. Wrong credentials are refused with 401.
 */
@Singleton
public class TokenEndpoint {
    private static final int MAX_SCOPES = 64;
    private static final int MAX_FORM_BYTES = 64 * 1024;

    private final Authenticator authenticator;
    private final Permissions permissions;
    private final RegistryTokens tokens;
    private final BerthConfig config;
    private final MeterRegistry metrics;
    private final UsageRecorder usage;

    @Inject
    public TokenEndpoint(Authenticator authenticator, Permissions permissions, RegistryTokens tokens, BerthConfig config,
            MeterRegistry metrics, UsageRecorder usage) {
        this.usage = usage;
        this.authenticator = authenticator;
        this.permissions = permissions;
        this.tokens = tokens;
        this.config = config;
        this.metrics = metrics;
    }

    public Future<Void> handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() == HttpMethod.GET) {
            Optional<BasicCredentials> credentials = BasicCredentials.parse(request.getHeader("Authorization"));
            if (request.getHeader("Authorization") != null && credentials.isEmpty()) {
                return Future.failedFuture(refused("malformed Authorization header"));
            }
            return issue(ctx, credentials, request.params().getAll("service"), request.params().getAll("scope"));
        }
        if (request.method() == HttpMethod.POST) {
            return BoundedBody.read(request, MAX_FORM_BYTES,
                    () -> new RegistryException(OciErrorCode.UNSUPPORTED, 413, "token request form too large")).compose(body -> {
                MultiMap form = parseForm(body.toString(StandardCharsets.UTF_8));
                String grantType = form.get("grant_type");
                if (!"password".equals(grantType)) {
                    return Future.failedFuture(new RegistryException(OciErrorCode.UNSUPPORTED, 400,
                            "unsupported grant_type " + grantType + "; use password, or GET with Basic credentials"));
                }
                Optional<BasicCredentials> credentials = Optional.ofNullable(form.get("username"))
                        .map(username -> new BasicCredentials(username, form.get("password") == null ? "" : form.get("password")));
                List<String> scopes = new ArrayList<>();
                form.getAll("scope").forEach(value -> scopes.addAll(List.of(value.split(" "))));
                return issue(ctx, credentials, form.getAll("service"), scopes);
            });
        }
        return Future.failedFuture(new RegistryException(OciErrorCode.UNSUPPORTED, "method " + request.method() + " not allowed here"));
    }

    private Future<Void> issue(RoutingContext ctx, Optional<BasicCredentials> credentials, List<String> services, List<String> scopes) {
        if (services.stream().anyMatch(service -> !service.equals(config.auth().service()))) {
            return Future.failedFuture(new RegistryException(OciErrorCode.DENIED, 400,
                    "this registry issues tokens for service " + config.auth().service()));
        }
        if (scopes.size() > MAX_SCOPES) {
            return Future.failedFuture(new RegistryException(OciErrorCode.DENIED, 400, "at most " + MAX_SCOPES + " scopes per token"));
        }
        Future<Principal> caller = credentials.isEmpty() ? Future.succeededFuture(Principal.ANONYMOUS)
                : authenticator.authenticate(credentials.get().name(), credentials.get().secret()).map(found -> found.orElseThrow(() -> {
                    metrics.counter("berth.auth.failures", "endpoint", "token").increment();
                    usage.signIn(ctx, "login_failure", Principal.ANONYMOUS, null, UsageRecorder.details("username", credentials.get().name()));
                    return refused("invalid username or password");
                }));
        return caller.compose(principal -> {
            if (credentials.isPresent()) {
                usage.signIn(ctx, "login", principal, namespaceOf(principal), UsageRecorder.details("scopes", scopes));
            }
            return grants(principal, scopes).map(grants -> {
                Instant now = Instant.now();
                String token = tokens.issue(principal, grants, now);
                // Docker's clients read "token", OAuth2 clients (containerd) "access_token": give both.
                return new JsonObject()
                        .put("token", token)
                        .put("access_token", token)
                        .put("expires_in", config.auth().tokenTtl().toSeconds())
                        .put("issued_at", now.toString());
            });
        }).compose(body -> ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.toBuffer()));
    }

    /**
     * Of each repository scope, the actions {@code principal} may take, by repository in the order
     * asked; repositories with none are left out. One repository after the other, so a request with
     * many scopes does not take as many connections at once.
     */
    private Future<Map<String, Set<Action>>> grants(Principal principal, List<String> scopes) {
        List<Scope> repositories = scopes.stream().map(Scope::parse).flatMap(Optional::stream).filter(scope -> !scope.isCatalog()).toList();
        Map<String, Set<Action>> grants = new LinkedHashMap<>();
        return Futures.sequentially(repositories, scope -> permissions.actions(principal, RepositoryName.parse(scope.name())).map(allowed -> {
            Set<Action> granted = EnumSet.noneOf(Action.class);
            granted.addAll(scope.actions());
            granted.retainAll(allowed);
            grants.merge(scope.name(), granted, (a, b) -> {
                a.addAll(b);
                return a;
            });
            return scope;
        })).map(ignored -> {
            grants.values().removeIf(Set::isEmpty);
            return grants;
        });
    }

    /** The namespace whose log records a sign-in: a user's own, a robot's, a token owner's. */
    private static String namespaceOf(Principal principal) {
        return principal instanceof Principal.Robot robot ? robot.namespace() : principal.user() == null ? null : principal.user().username();
    }

    private static ChallengedException refused(String detail) {
        return ChallengedException.signInRefused(detail, "Basic realm=\"berth\"");
    }

    private static MultiMap parseForm(String body) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                form.add(key, value);
            } catch (IllegalArgumentException malformed) {
                throw new RegistryException(OciErrorCode.UNSUPPORTED, 400, "malformed form body");
            }
        }
        return form;
    }
}
