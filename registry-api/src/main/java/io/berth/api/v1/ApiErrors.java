package io.berth.api.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.MetadataUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of an /api/v1 request into an {@link ApiError} with a 4xx status for anything
 * the caller did, 503 when the database is unavailable, and never a stack trace.
 */
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public Response management(ManagementException e) {
        Response.ResponseBuilder response = Response.status(e.kind().status());
        if (e.kind() == ManagementException.Kind.UNAUTHORIZED) {
            response.header("WWW-Authenticate", "Basic realm=\"berth\"");
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(e.kind().status(), e.kind().title(), e.getMessage())).build();
    }

    /** Invalid names and digests surface from the protocol's validation: still the caller's mistake. */
    @ServerExceptionMapper
    public Response registry(RegistryException e) {
        int status = e.status() >= 500 ? 503 : e.status();
        return error(status, status == 404 ? "not_found" : "invalid_request", e.detail());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return error(400, "invalid_request", "the request body is not valid JSON for this operation: " + e.getOriginalMessage());
    }

    /** Declared on its own so that it wins over the JSON extension's built-in mapper for this type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406, 415 -> "unsupported_media_type";
            default -> status >= 500 ? "unavailable" : "invalid_request";
        };
        return error(status, title, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(MetadataUnavailableException e) {
        LOG.errorf(e, "metadata database unavailable");
        return error(503, "unavailable", "metadata database unavailable, retry later");
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.errorf(e, "unexpected failure in the management API");
        return error(500, "internal_error", "internal error");
    }

    private static Response error(int status, String title, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(status, title, detail)).build();
    }
}
