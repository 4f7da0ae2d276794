package io.berth.api.v1;

import io.berth.core.error.ManagementException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A Content-Type or Accept header that is no media type is the caller's mistake (400), found before
 * the request is matched to an operation: matching reads both, and would fail on it unexpectedly.
 */
public class MediaTypeHeaders {

    @ServerRequestFilter(preMatching = true)
    public void refuseMalformed(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !parses(contentType)) {
            throw ManagementException.badRequest("the Content-Type header is not a media type (such as application/json)");
        }
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null) {
            for (String range : accept.split(",")) {
                if (!range.isBlank() && !parses(range.trim())) {
                    throw ManagementException.badRequest("the Accept header is not a list of media types");
                }
            }
        }
    }

    private static boolean parses(String value) {
        try {
            MediaType.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
