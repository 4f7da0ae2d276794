package io.berth.api.v1;

import io.berth.core.error.ManagementException;

/** Checks on request bodies common to every management endpoint. */
final class Bodies {
    private Bodies() {
    }

    /** The body, or 400 when the request carried none. */
    static <T> T required(T body) {
        if (body == null) {
            throw ManagementException.badRequest("a JSON request body is required");
        }
        return body;
    }
}
