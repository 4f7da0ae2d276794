package io.berth.core.tag;

import io.berth.core.error.ManagementException;

/**
 * A page of a repository's tags (Quay's parameters): {@code page} from 1, {@code limit} per page,
 * only the current tags or their whole history too, a name filter ({@code like:<text>} for names
 * containing it, {@code eq:<name>}) and one specific tag.
 */
public record TagQuery(int page, int limit, boolean onlyActive, String nameContains, String nameEquals) {
    public static final int MAX_LIMIT = 100;

    public TagQuery {
        if (page < 1) {
            throw ManagementException.badRequest("page must be 1 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ManagementException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** The query for Quay's {@code filter_tag_name} and {@code specificTag} parameters. */
    public static TagQuery of(int page, int limit, boolean onlyActive, String filterTagName, String specificTag) {
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
        return new TagQuery(page, limit, onlyActive, contains, equals);
    }

    int offset() {
        return (page - 1) * limit;
    }
}
