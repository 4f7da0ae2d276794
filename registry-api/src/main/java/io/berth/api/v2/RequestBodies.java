package io.berth.api.v2;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.protocol.BoundedBody;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads small request bodies (manifests) into memory, refusing anything over a limit before buffering it. */
final class RequestBodies {

    private RequestBodies() {
    }

    /** The request's length as declared by Content-Length, or -1 when it is streamed without one. */
    static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(header.trim());
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new RegistryException(OciErrorCode.SIZE_INVALID, "invalid Content-Length");
        }
    }

    /** Whether the request carries a body at all (a length above zero, or chunked transfer). */
    static boolean hasBody(HttpServerRequest request) {
        long declared = declaredLength(request);
        return declared > 0 || (declared < 0 && request.getHeader("Transfer-Encoding") != null);
    }

    static Future<Buffer> read(HttpServerRequest request, long maxBytes, OciErrorCode tooLarge) {
        long declared = declaredLength(request);
        if (declared > maxBytes) {
            return Future.failedFuture(tooLarge(maxBytes, tooLarge));
        }
        return BoundedBody.read(request, maxBytes, () -> tooLarge(maxBytes, tooLarge));
    }

    private static RegistryException tooLarge(long maxBytes, OciErrorCode code) {
        return new RegistryException(code, 413, "body exceeds the limit of " + maxBytes + " bytes");
    }
}
