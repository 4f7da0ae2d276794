package io.berth.api.config;

import io.berth.core.protocol.upload.UploadMemory;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The memory all uploads share, from {@code berth.upload.memory-limit} or a quarter of the heap. */
public class UploadMemoryProducer {
    private static final Logger LOG = Logger.getLogger(UploadMemoryProducer.class);

    @Produces
    @Singleton
    UploadMemory uploadMemory(BerthConfig config) {
        UploadMemory memory = config.upload().memoryLimit()
                .map(MemorySize::asLongValue)
                .map(UploadMemory::new)
                .orElseGet(UploadMemory::quarterOfHeap);
        LOG.debugf("uploads may hold %d MiB of request bodies in memory", memory.limit() >> 20);
        return memory;
    }
}
