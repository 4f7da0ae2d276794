package io.berth.core.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.berth.core.metadata.StoredManifest;
import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Manifests by repository and reference (tag or digest), in front of PostgreSQL: manifest HEAD and
 * GET by tag is what every node of a scaling deployment asks at once. Entries are weighed by payload
 * size. Every write that changes what a reference resolves to invalidates it through this class,
 * after its transaction commits.
 *
 * <p>Misses load through the cache: requests for a key that is loading wait for that one load, and
 * only a successful load stays. An invalidation removes a load still in flight too, so a read of the
 * old state that started before a tag moved is answered to its requests but never stored, and the
 * moved tag is served from the next request on.
 */
@Singleton
public class ManifestCache {
    /** Manifest bytes kept: an eighth of the heap, at most 64 MiB, so a small heap is not filled by them. */
    private static final long MAX_WEIGHT_BYTES = Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 8);
    /** Bounds staleness should an invalidation from another node be missed. */
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private record Key(String repository, String reference) {
    }

    private final AsyncCache<Key, StoredManifest> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_WEIGHT_BYTES)
            .weigher((Key key, StoredManifest manifest) -> manifest.payload().length + 256)
            // A tag that expires is not served from here past its expiry.
            .expireAfter(Expiry.<Key, StoredManifest>creating((key, manifest) -> manifest.expiresAt() == null ? TIME_TO_LIVE
                    : Collections.min(List.of(TIME_TO_LIVE, Duration.between(Instant.now(), manifest.expiresAt())))))
            .buildAsync();

    /** The manifest when it is cached and loaded; null otherwise (never waits for a load). */
    public StoredManifest get(RepositoryName repository, String reference) {
        return cache.synchronous().getIfPresent(new Key(repository.value(), reference));
    }

    /**
     * The manifest from the cache, loading it with {@code loader} when it is not there (a failed
     * load, such as one finding no manifest, is answered and not kept). The answer comes on the
     * caller's Vert.x context, also when it joins a load another request started.
     */
    public Future<StoredManifest> get(RepositoryName repository, String reference, Supplier<Future<StoredManifest>> loader) {
        CompletableFuture<StoredManifest> loading = cache.get(new Key(repository.value(), reference),
                (key, executor) -> Futures.attempt(loader::get).toCompletionStage().toCompletableFuture());
        return Futures.onCallersContext(loading);
    }

    public void invalidate(RepositoryName repository, String reference) {
        cache.synchronous().invalidate(new Key(repository.value(), reference));
    }

    /** Drops every reference of a repository (deleted, so none of them resolves any more). */
    public void invalidateRepository(RepositoryName repository) {
        cache.asMap().keySet().removeIf(key -> key.repository().equals(repository.value()));
    }

    public void clear() {
        cache.synchronous().invalidateAll();
    }
}
