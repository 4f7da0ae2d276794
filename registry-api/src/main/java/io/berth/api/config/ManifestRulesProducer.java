package io.berth.api.config;

import io.berth.core.protocol.manifest.ManifestRules;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** What manifest pushes must satisfy, from {@code berth.manifest.*}. */
public class ManifestRulesProducer {

    @Produces
    @Singleton
    ManifestRules manifestRules(BerthConfig config) {
        return new ManifestRules(config.manifest().allowSparse());
    }
}
