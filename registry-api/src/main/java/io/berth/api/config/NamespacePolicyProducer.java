package io.berth.api.config;

import io.berth.core.metadata.NamespacePolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Whether pushes may create namespaces, from {@code berth.namespaces.*}. */
public class NamespacePolicyProducer {

    @Produces
    @Singleton
    NamespacePolicy namespacePolicy(BerthConfig config) {
        return new NamespacePolicy(config.namespaces().createOnPush());
    }
}
