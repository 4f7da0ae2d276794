package io.berth.api.config;

import io.berth.core.autoprune.AutoPruneSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Scheduled auto-prune's pacing, from {@code berth.autoprune.*}. */
public class AutoPruneSettingsProducer {

    @Produces
    @Singleton
    AutoPruneSettings autoPruneSettings(BerthConfig config) {
        BerthConfig.Autoprune autoprune = config.autoprune();
        return new AutoPruneSettings(autoprune.enabled(), autoprune.interval(), autoprune.staleAfter());
    }
}
