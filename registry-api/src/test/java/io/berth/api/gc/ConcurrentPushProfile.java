package io.berth.api.gc;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Collection with no review delay, so whatever a deletion releases is due at once, and a safety
 * window longer than any push of the test takes.
 */
public class ConcurrentPushProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "berth.gc.enabled", "false",
                "berth.gc.review-delay", "0s",
                "berth.gc.safety-window", "60s");
    }
}
