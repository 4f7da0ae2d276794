package io.berth.api.v1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.immutability.ImmutableTagException;
import io.berth.core.metadata.MetadataUnavailableException;
import io.berth.core.metadata.RejectedValueException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of an /api/v1 request into an {@link ApiError} with a 4xx status for anything
 * the caller did, 503 when the database is unavailable, and never a stack trace. Details are written
 * for the caller: they never carry the framework's own messages, which name Java types.
 */
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public Response management(ManagementException e) {
        Response.ResponseBuilder response = Response.status(e.kind().status());
        if (e.kind() == ManagementException.Kind.UNAUTHORIZED) {
            response.header("WWW-Authenticate", "Basic realm=\"berth\"");
        }
        if (e.kind() == ManagementException.Kind.TOO_MANY_REQUESTS) {
            // The throttle's windows are minutes long; a minute is a fair first wait.
            response.header("Retry-After", "60");
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(e.kind().status(), e.kind().title(), e.getMessage())).build();
    }

    /** Invalid names and digests surface from the protocol's validation: still the caller's mistake. */
    @ServerExceptionMapper
    public Response registry(RegistryException e) {
        int status = e.status() >= 500 ? 503 : e.status();
        return error(status, status == 404 ? "not_found" : "invalid_request", e.detail());
    }

    /** The caller may change the tag; an immutability rule forbids it: a conflict with the repository's state. */
    @ServerExceptionMapper
    public Response immutableTag(ImmutableTagException e) {
        return error(409, ManagementException.Kind.CONFLICT.title(), e.detail());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return error(400, "invalid_request", JsonProblem.describe(e));
    }

    /** Declared on its own so that it wins over the JSON extension's built-in mapper for this type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    /**
     * What the framework refused before any endpoint ran: a path no operation has (404), a method the
     * path does not take (405, with {@code Allow}), a body that is not JSON (415), a body it could not
     * read (400, the JSON problem described).
     */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, Request request) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        if (e instanceof NotFoundException) {
            return error(404, "not_found", "no such endpoint: no operation answers " + request.getMethod()
                    + " at this path (GET /api/v1/discovery lists them)");
        }
        if (e instanceof NotAllowedException) {
            // The framework does not say which methods the path takes; OPTIONS on it answers that (Allow).
            return error(405, "method_not_allowed", request.getMethod() + " is not an operation of this path (OPTIONS lists the ones it"
                    + " takes)");
        }
        if (e instanceof NotSupportedException) {
            return error(415, "unsupported_media_type", "this operation takes a JSON body (Content-Type: application/json)");
        }
        if (e instanceof NotAcceptableException) {
            return error(406, "unsupported_media_type", "this operation answers only application/json");
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "failure in the management API");
            return error(status, "unavailable", "the request could not be served, retry later");
        }
        return error(status, "invalid_request", "the request was refused (HTTP " + status + ")");
    }

    /** A value the request carried that the database cannot hold (a NUL in text, a number out of range). */
    @ServerExceptionMapper
    public Response rejectedValue(RejectedValueException e) {
        return error(400, "invalid_request", e.reason());
    }

    @ServerExceptionMapper
    public Response unavailable(MetadataUnavailableException e) {
        // One line, no stack trace: during an outage every request that needs the database ends here.
        LOG.warnf("metadata database unavailable: %s", e.rootCause());
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
