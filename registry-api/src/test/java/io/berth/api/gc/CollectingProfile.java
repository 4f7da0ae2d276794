package io.berth.api.gc;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Garbage collection with no review delay and a two-second safety window, driven by the tests
 * themselves (background collection off, so nothing goes before a test looks).
 */
public class CollectingProfile implements QuarkusTestProfile {
    static final long SAFETY_WINDOW_MILLIS = 2000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "berth.gc.enabled", "false",
                "berth.gc.review-delay", "0s",
                "berth.gc.safety-window", SAFETY_WINDOW_MILLIS + "ms");
    }
}
