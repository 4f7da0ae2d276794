package io.berth.core.accesstoken;

import io.berth.core.error.ManagementException;

/** A page of the caller's tokens: 004's {@code limit}, {@code offset}, sorting, name search and scope filter. */
public record AccessTokenQuery(int limit, int offset, SortField sortField, boolean descending, String search, Boolean readWrite) {
    public static final int MAX_LIMIT = 1000;

    public enum SortField {
        NAME("t.name"), CREATED_AT("t.createdAt"), LAST_USED_AT("t.lastUsedAt"), EXPIRES_AT("t.expiresAt");

        /** The attribute of {@link AccessToken} ordered by. */
        final String attribute;

        SortField(String attribute) {
            this.attribute = attribute;
        }

        public static SortField parse(String value) {
            return switch (value == null ? "createdAt" : value) {
                case "name" -> NAME;
                case "createdAt" -> CREATED_AT;
                case "lastUsedAt" -> LAST_USED_AT;
                case "expiresAt" -> EXPIRES_AT;
                default -> throw ManagementException.badRequest("sort_field must be one of name, createdAt, lastUsedAt, expiresAt");
            };
        }
    }

    public AccessTokenQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ManagementException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw ManagementException.badRequest("offset must not be negative");
        }
    }

    public static Boolean parseScopeMode(String scopeMode) {
        if (scopeMode == null) {
            return null;
        }
        return switch (scopeMode) {
            case "ro" -> false;
            case "rw" -> true;
            default -> throw ManagementException.badRequest("scope_mode must be ro or rw");
        };
    }
}
