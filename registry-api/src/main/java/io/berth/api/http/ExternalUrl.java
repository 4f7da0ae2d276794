package io.berth.api.http;

import io.berth.api.config.BerthConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address clients reach this registry at: {@code berth.external-url} when set; otherwise what a
 * TLS-terminating proxy says the client used ({@code Forwarded}, else {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host}); otherwise the request's own scheme and {@code Host}. The forwarded
 * headers only shape what is answered to the request that carries them (the token realm, a Docker
 * configuration), so a client that forges them misleads only itself.
 */
@Singleton
public class ExternalUrl {
    /** A host, optionally with a port: letters, digits, dots, hyphens, or a bracketed IPv6 address. */
    private static final Pattern AUTHORITY = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

    /** The configured URL's {@code scheme://host[:port]} and its {@code host[:port]}. */
    private final Optional<String> configured;
    private final Optional<String> configuredAuthority;

    @Inject
    public ExternalUrl(BerthConfig config) {
        this(config.externalUrl());
    }

    ExternalUrl(Optional<URI> configured) {
        this.configured = configured.map(ExternalUrl::origin);
        this.configuredAuthority = configured.map(URI::getRawAuthority);
    }

    /** {@code scheme://host[:port]}, without a trailing slash. */
    public String origin(HttpServerRequest request) {
        return configured.orElseGet(() -> scheme(request) + "://" + authority(request));
    }

    /** {@code host[:port]}: how a client's registry configuration names this registry. */
    public String authority(HttpServerRequest request) {
        return configuredAuthority.orElseGet(() -> forwarded(request, "host", "X-Forwarded-Host")
                .filter(host -> AUTHORITY.matcher(host).matches())
                .orElseGet(() -> request.authority() == null ? "localhost" : request.authority().toString()));
    }

    /**
     * A {@code Location} for a path of this registry: relative, which a client resolves against the
     * URL it used (right behind any proxy), unless an external URL is configured.
     */
    public String location(String path) {
        return configured.map(origin -> origin + path).orElse(path);
    }

    private static String scheme(HttpServerRequest request) {
        return forwarded(request, "proto", "X-Forwarded-Proto").map(proto -> proto.toLowerCase(Locale.ROOT))
                .filter(proto -> proto.equals("https") || proto.equals("http"))
                .orElse(request.scheme());
    }

    /** A parameter of the first {@code Forwarded} element (RFC 7239), else the first value of the legacy header. */
    private static Optional<String> forwarded(HttpServerRequest request, String parameter, String legacyHeader) {
        String header = request.getHeader("Forwarded");
        if (header != null) {
            String first = header.split(",", 2)[0];
            for (String pair : first.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase(parameter)) {
                    return Optional.of(unquoted(pair.substring(equals + 1).strip())).filter(value -> !value.isEmpty());
                }
            }
        }
        String legacy = request.getHeader(legacyHeader);
        return legacy == null ? Optional.empty() : Optional.of(legacy.split(",", 2)[0].strip()).filter(value -> !value.isEmpty());
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static String origin(URI url) {
        if (url.getScheme() == null || url.getRawAuthority() == null
                || !(url.getScheme().equalsIgnoreCase("https") || url.getScheme().equalsIgnoreCase("http"))) {
            throw new IllegalArgumentException("berth.external-url must be an http or https URL with a host: " + url);
        }
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority();
    }
}
