package io.berth.api.gc;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Collection with no review delay, so whatever a deletion releases is due as soon as the safety
 * window after its push has passed, and a window longer than any push of the test takes.
 */
public class ConcurrentPushProfile implements QuarkusTestProfile {
    static final long SAFETY_WINDOW_MILLIS = 10_000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "berth.gc.enabled", "false",
                "berth.gc.review-delay", "0s",
                "berth.gc.safety-window", SAFETY_WINDOW_MILLIS + "ms");
    }
}
