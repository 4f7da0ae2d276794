package io.berth.core.tag;

import io.berth.core.error.ManagementException;
import io.berth.core.paging.SortOrder;

/**
 * A page of a repository's tags (Quay's parameters): {@code page} from 1, {@code limit} per page,
 * only the current tags or their whole history too, a name filter ({@code like:<text>} for names
 * containing it, {@code eq:<name>}), one specific tag, and the order ({@code sort_field},
 * {@code sort_type}; by name by default).
 */
public record TagQuery(int page, int limit, boolean onlyActive, String nameContains, String nameEquals, SortField sortField,
        boolean descending) {
    public static final int MAX_LIMIT = 100;

    /**
     * What tags are ordered by, as a column of the listing's query; rows without a value (tags never
     * pulled, past periods of a tag) come last in either direction.
     */
    public enum SortField {
        NAME("name"), LAST_MODIFIED("last_modified"), LAST_PULLED("last_pulled"), PULL_COUNT("pull_count");

        final String column;

        SortField(String column) {
            this.column = column;
        }

        public static SortField parse(String value) {
            return switch (value == null || value.isEmpty() ? "name" : value) {
                case "name" -> NAME;
                case "lastModified", "last_modified", "pushed" -> LAST_MODIFIED;
                case "lastPulled" -> LAST_PULLED;
                case "pullCount" -> PULL_COUNT;
                default -> throw ManagementException.badRequest("sort_field must be one of name, lastModified (or pushed), lastPulled, pullCount");
            };
        }
    }

    /** By name, ascending. */
    public TagQuery(int page, int limit, boolean onlyActive, String nameContains, String nameEquals) {
        this(page, limit, onlyActive, nameContains, nameEquals, SortField.NAME, false);
    }

    public TagQuery {
        if (page < 1) {
            throw ManagementException.badRequest("page must be 1 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ManagementException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** The query for Quay's {@code filter_tag_name} and {@code specificTag} parameters, by name. */
    public static TagQuery of(int page, int limit, boolean onlyActive, String filterTagName, String specificTag) {
        return of(page, limit, onlyActive, filterTagName, specificTag, null, null);
    }

    /** The same, ordered by {@code sortField} in the direction of {@code sortType}. */
    public static TagQuery of(int page, int limit, boolean onlyActive, String filterTagName, String specificTag, String sortField,
            String sortType) {
        String contains = null;
        String equals = specificTag;
        if (filterTagName != null && !filterTagName.isEmpty()) {
            int colon = filterTagName.indexOf(':');
            String operator = colon < 0 ? "" : filterTagName.substring(0, colon);
            String value = colon < 0 ? "" : filterTagName.substring(colon + 1);
            switch (operator) {
                case "like" -> contains = value;
                case "eq" -> {
                    if (equals != null && !equals.equals(value)) {
                        throw ManagementException.badRequest("filter_tag_name eq: and specificTag name different tags");
                    }
                    equals = value;
                }
                default -> throw ManagementException.badRequest("filter_tag_name must be like:<text> or eq:<name>");
            }
        }
        return new TagQuery(page, limit, onlyActive, contains, equals, SortField.parse(sortField), SortOrder.descending(sortType));
    }

    int offset() {
        return (page - 1) * limit;
    }
}
