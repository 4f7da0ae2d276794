package io.berth.core.tag.policy;

import io.berth.core.error.ManagementException;
import java.util.Locale;

/** How "newest" is decided (003's {@code image_update_strategy}). */
public enum TagStrategy {
    /** Highest semantic version; tags that are not one are skipped. */
    SEMVER,
    /** Most recently pushed or moved (the tag's update time). */
    LATEST,
    /** Last in lexical (byte) order. */
    ALPHABETICAL,
    /** Largest number; tags that are not a number are skipped. */
    NUMERICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy a query parameter names; absent is {@link #SEMVER}, anything else unknown a 400. */
    public static TagStrategy parse(String value) {
        if (value == null || value.isEmpty()) {
            return SEMVER;
        }
        for (TagStrategy strategy : values()) {
            if (strategy.wireName().equals(value)) {
                return strategy;
            }
        }
        throw ManagementException.badRequest("strategy must be one of semver, latest, alphabetical, numerical");
    }
}
