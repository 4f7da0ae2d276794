package io.berth.api.autoprune;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Auto-prune driven by the tests alone: the schedule off (nothing is pruned before a test looks),
 * background garbage collection off (what a run leaves for collection stays to be seen).
 */
public class PruningProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("berth.autoprune.enabled", "false", "berth.gc.enabled", "false");
    }
}
