package io.berth.api.autoprune;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Scheduled auto-prune every second, and a run without a sign of life for five seconds counting as stopped. */
public class ScheduledPruningProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("berth.autoprune.interval", "1s", "berth.autoprune.stale-after", "5s", "berth.gc.enabled", "false");
    }
}
