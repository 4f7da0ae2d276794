package io.berth.api.v1;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /api/v1/discovery} answers JSON, as Quay's discovery does, unless YAML is asked for
 * ({@code Accept: application/yaml} or {@code ?format=yaml}). The OpenAPI handler itself answers YAML
 * unless JSON is asked for, so requests that do not ask for YAML are passed on to it asking for JSON.
 */
@ApplicationScoped
public class DiscoveryDocumentFormat {
    @ConfigProperty(name = "quarkus.smallrye-openapi.path")
    String path;

    void register(@Observes Router router) {
        // Before the OpenAPI handler's own route for the same path.
        router.route(path).order(Integer.MIN_VALUE).handler(ctx -> {
            if (!asksForYaml(ctx.request())) {
                ctx.request().headers().set(HttpHeaders.ACCEPT, "application/json");
            }
            ctx.next();
        });
    }

    private static boolean asksForYaml(HttpServerRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        String format = request.getParam("format");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("yaml") || "yaml".equalsIgnoreCase(format);
    }
}
