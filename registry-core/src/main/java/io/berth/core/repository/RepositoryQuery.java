package io.berth.core.repository;

import io.berth.core.error.ManagementException;

/**
 * A page of repositories: in one namespace or all the caller may see, public ones of others
 * included or not, a name search, sorting, limit and offset.
 */
public record RepositoryQuery(String namespace, boolean includePublic, String search, SortField sortField, boolean descending,
        int limit, int offset) {
    public static final int MAX_LIMIT = 1000;

    public enum SortField {
        NAME("r.name"), CREATED_AT("r.created_at"), LAST_MODIFIED("last_modified"), SIZE("size");

        final String column;

        SortField(String column) {
            this.column = column;
        }

        public static SortField parse(String value) {
            return switch (value == null ? "name" : value) {
                case "name" -> NAME;
                case "createdAt" -> CREATED_AT;
                case "lastModified", "last_modified", "updatedAt" -> LAST_MODIFIED;
                case "size" -> SIZE;
                default -> throw ManagementException.badRequest("sort_field must be one of name, createdAt, updatedAt (or lastModified), size");
            };
        }
    }

    public RepositoryQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ManagementException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw ManagementException.badRequest("offset must not be negative");
        }
    }
}
