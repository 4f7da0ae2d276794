package io.berth.api.v1;

import io.berth.core.error.ManagementException;

/**
 * Numeric and boolean query parameters, parsed here rather than by JAX-RS, which would answer a
 * malformed value with 404: a wrong value is the caller's mistake, so it is a 400 naming the parameter.
 */
final class QueryParameters {
    private QueryParameters() {
    }

    static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ManagementException.badRequest(name + " must be a whole number from " + min + " to " + max);
    }

    /** {@code true} or {@code false} (any case); empty or absent is {@code defaultValue}. */
    static boolean bool(String name, String value, boolean defaultValue) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw ManagementException.badRequest(name + " must be true or false");
    }
}
