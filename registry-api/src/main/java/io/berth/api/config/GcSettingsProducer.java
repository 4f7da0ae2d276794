package io.berth.api.config;

import io.berth.core.gc.GcSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Garbage collection's pacing, from {@code berth.gc.*}. */
public class GcSettingsProducer {

    @Produces
    @Singleton
    GcSettings gcSettings(BerthConfig config) {
        BerthConfig.Gc gc = config.gc();
        return new GcSettings(gc.reviewDelay(), gc.safetyWindow(), gc.orphanMinAge());
    }
}
