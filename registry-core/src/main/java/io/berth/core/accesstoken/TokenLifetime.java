package io.berth.core.accesstoken;

import io.berth.core.error.ManagementException;
import java.time.Duration;

/** The lifetimes the Container Registry API's {@code ttl} offers a token: {@code 12h} (its default) or {@code 1y}. */
public enum TokenLifetime {
    TWELVE_HOURS("12h", Duration.ofHours(12)),
    ONE_YEAR("1y", Duration.ofDays(365));

    private final String wireName;
    private final Duration duration;

    TokenLifetime(String wireName, Duration duration) {
        this.wireName = wireName;
        this.duration = duration;
    }

    public Duration duration() {
        return duration;
    }

    public String wireName() {
        return wireName;
    }

    /** {@code 12h} or {@code 1y}; absent or empty is {@code 12h}. */
    public static TokenLifetime parse(String ttl) {
        if (ttl == null || ttl.isEmpty()) {
            return TWELVE_HOURS;
        }
        for (TokenLifetime lifetime : values()) {
            if (lifetime.wireName.equals(ttl)) {
                return lifetime;
            }
        }
        throw ManagementException.badRequest("ttl must be 12h or 1y");
    }
}
