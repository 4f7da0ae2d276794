package io.berth.core.protocol.manifest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.domain.RepositoryName;
import io.berth.core.metadata.StoredManifest;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Manifests by repository and reference (tag or digest), in front of PostgreSQL: manifest HEAD and
 * GET by tag is what every node of a scaling deployment asks at once. Entries are weighed by payload
 * size. Every write that changes what a reference resolves to invalidates it through this class.
 */
@Singleton
public class ManifestCache {
    private static final long MAX_WEIGHT_BYTES = 64L * 1024 * 1024;
    /** Bounds staleness should an invalidation from another node be missed. */
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private record Key(String repository, String reference) {
    }

    private final Cache<Key, StoredManifest> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_WEIGHT_BYTES)
            .weigher((Key key, StoredManifest manifest) -> manifest.payload().length + 256)
            .expireAfterWrite(TIME_TO_LIVE)
            .build();

    public StoredManifest get(RepositoryName repository, String reference) {
        return cache.getIfPresent(new Key(repository.value(), reference));
    }

    public void put(RepositoryName repository, String reference, StoredManifest manifest) {
        cache.put(new Key(repository.value(), reference), manifest);
    }

    public void invalidate(RepositoryName repository, String reference) {
        cache.invalidate(new Key(repository.value(), reference));
    }
}
