package io.berth.core.paging;

import io.berth.core.error.ManagementException;

/** The {@code sort_type} of management listings: {@code asc} (the default) or {@code desc}. */
public final class SortOrder {
    private SortOrder() {
    }

    /** Whether {@code sortType} asks for descending order. */
    public static boolean descending(String sortType) {
        return switch (sortType == null ? "asc" : sortType) {
            case "asc" -> false;
            case "desc" -> true;
            default -> throw ManagementException.badRequest("sort_type must be asc or desc");
        };
    }

    /** An ORDER BY item: {@code column} in the given direction, rows without a value (never pulled, say) last either way. */
    public static String nullsLast(String column, boolean descending) {
        return column + (descending ? " DESC" : " ASC") + " NULLS LAST";
    }
}
