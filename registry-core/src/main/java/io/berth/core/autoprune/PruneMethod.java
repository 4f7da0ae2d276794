package io.berth.core.autoprune;

import io.berth.core.error.ManagementException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a policy chooses what to prune. Quay's two methods ({@code number_of_tags}, {@code creation_date})
 * and, in the same style, the retention rules Harbor's users know: by pull rather than push, and
 * untagged manifests. A count keeps the newest N of the tags in the policy's scope; an age prunes
 * what is older than it.
 */
public enum PruneMethod {
    /** Keep the {@code value} most recently pushed tags. */
    NUMBER_OF_TAGS("number_of_tags", true),
    /** Delete tags pushed longer ago than {@code value}. */
    CREATION_DATE("creation_date", false),
    /** Keep the {@code value} most recently pulled tags (a tag never pulled counts from its push). */
    NUMBER_OF_TAGS_PULLED("number_of_tags_pulled", true),
    /** Delete tags neither pulled nor pushed within {@code value} (a tag never pulled counts from its push). */
    NOT_PULLED_SINCE("not_pulled_since", false),
    /** Delete manifests that are untagged (and that no index or referrer keeps), pushed longer ago than {@code value}. */
    UNTAGGED_OLDER_THAN("untagged_older_than", false);

    private final String wireName;
    private final boolean counts;

    PruneMethod(String wireName, boolean counts) {
        this.wireName = wireName;
        this.counts = counts;
    }

    /** The name in the API and the database. */
    public String wireName() {
        return wireName;
    }

    /** Whether {@code value} is a number of tags (else an age such as {@code 7d}). */
    public boolean counts() {
        return counts;
    }

    /** Whether the method prunes tags (else untagged manifests). */
    public boolean prunesTags() {
        return this != UNTAGGED_OLDER_THAN;
    }

    public static PruneMethod parse(String text) {
        if (text == null) {
            throw ManagementException.badRequest("method is required: one of " + names());
        }
        for (PruneMethod method : values()) {
            if (method.wireName.equals(text.toLowerCase(Locale.ROOT))) {
                return method;
            }
        }
        throw ManagementException.badRequest("method must be one of " + names());
    }

    private static String names() {
        return Arrays.stream(values()).map(PruneMethod::wireName).collect(Collectors.joining(", "));
    }
}
