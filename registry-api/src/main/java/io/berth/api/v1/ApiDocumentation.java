package io.berth.api.v1;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the generated OpenAPI document: every management operation answers its errors with
 * the one {@link ApiError} body, and signs in with Basic credentials or a Bearer token. Declared
 * once here rather than on each of the endpoints. It runs when the registry is built, so the
 * finished document is served as it is and start-up does not rebuild it.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ApiDocumentation implements OASFilter {
    private static final String ERROR_SCHEMA = "#/components/schemas/ApiError";
    private static final Map<String, String> ERRORS = Map.of(
            "400", "The request is malformed: a name, value, parameter or JSON body is invalid",
            "401", "No valid credentials",
            "403", "The caller may not do this",
            "404", "No such resource, or none the caller may see",
            "409", "The change conflicts with the current state (a name taken, a revoked token, a non-empty organization, an immutable tag)");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("ApiError", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("The error body of every management operation")
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("error", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .description("The detail again, where the Container Registry API's clients read it")));
        openAPI.getComponents().addSecurityScheme("basic", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("A user's password, a robot's token (user <namespace>+<robot>) or an access token"));
        openAPI.getComponents().addSecurityScheme("bearer", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("An access token (berth_at_...) or a registry token from /v2/token"));
        openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("basic"));
        openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("bearer"));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/v1")) {
                item.getOperations().values().forEach(ApiDocumentation::addErrors);
            }
        });
    }

    private static void addErrors(Operation operation) {
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        ERRORS.forEach((status, description) -> {
            APIResponse existing = responses.getAPIResponse(status);
            if (existing == null || existing.getContent() == null) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                        .content(OASFactory.createContent().addMediaType("application/json",
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_SCHEMA)))));
            }
        });
        operation.setResponses(responses);
    }
}
