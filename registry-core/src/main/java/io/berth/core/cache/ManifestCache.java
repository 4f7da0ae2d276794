package io.berth.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.berth.core.domain.RepositoryName;
import io.berth.core.metadata.StoredManifest;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Manifests by repository and reference (tag or digest), in front of PostgreSQL: manifest HEAD and
 * GET by tag is what every node of a scaling deployment asks at once. Entries are weighed by payload
 * size. Every write that changes what a reference resolves to invalidates it through this class,
 * after its transaction commits.
 *
 * <p>Misses load through the cache, so a load and an invalidation of the same key are serialised:
 * a read of the old state still in flight when a tag moves finishes storing its result before the
 * invalidation removes it, and the moved tag is served from the next request on.
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
            // A tag that expires is not served from here past its expiry.
            .expireAfter(Expiry.<Key, StoredManifest>creating((key, manifest) -> manifest.expiresAt() == null ? TIME_TO_LIVE
                    : Collections.min(List.of(TIME_TO_LIVE, Duration.between(Instant.now(), manifest.expiresAt())))))
            .build();

    public StoredManifest get(RepositoryName repository, String reference) {
        return cache.getIfPresent(new Key(repository.value(), reference));
    }

    /** The manifest from the cache, loading it with {@code loader} (which throws when there is none). */
    public StoredManifest get(RepositoryName repository, String reference, Supplier<StoredManifest> loader) {
        return cache.get(new Key(repository.value(), reference), key -> loader.get());
    }

    public void invalidate(RepositoryName repository, String reference) {
        cache.invalidate(new Key(repository.value(), reference));
    }

    /** Drops every reference of a repository (deleted, so none of them resolves any more). */
    public void invalidateRepository(RepositoryName repository) {
        cache.asMap().keySet().removeIf(key -> key.repository().equals(repository.value()));
    }

    public void clear() {
        cache.invalidateAll();
    }
}
