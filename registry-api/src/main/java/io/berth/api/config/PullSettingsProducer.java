package io.berth.api.config;

import io.berth.core.pullstats.PullSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Whether pulls are counted and the memory bound of their counts, from {@code berth.pull-statistics.*}. */
public class PullSettingsProducer {

    @Produces
    @Singleton
    PullSettings pullSettings(BerthConfig config) {
        BerthConfig.PullStatistics pulls = config.pullStatistics();
        return new PullSettings(pulls.enabled(), pulls.maxPending());
    }
}
