package io.berth.core.quota;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.concurrent.Futures;
import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Each namespace's Reject limit in bytes (empty: none), so that an upload to a namespace without
 * one costs no query at all. A change to a quota or its limits invalidates the namespace on every
 * node (LISTEN/NOTIFY through {@link io.berth.core.cache.CacheInvalidations}). The cache only spares
 * the early refusal its query: what enforces the limit is the usage trigger, which reads the limit
 * in the push's own transaction, so a stale entry can never let bytes past it.
 */
@Singleton
public class RejectLimitCache {
    /** Bounds staleness should an invalidation from another node be missed. */
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private final AsyncCache<String, OptionalLong> cache = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(TIME_TO_LIVE)
            .buildAsync();

    /** The namespace's Reject limit, loaded with {@code loader} when not cached; answered on the caller's context. */
    public Future<OptionalLong> get(String namespace, Supplier<Future<OptionalLong>> loader) {
        CompletableFuture<OptionalLong> loading = cache.get(namespace,
                (key, executor) -> Futures.attempt(loader::get).toCompletionStage().toCompletableFuture());
        return Futures.onCallersContext(loading);
    }

    public void invalidate(String namespace) {
        cache.synchronous().invalidate(namespace);
    }

    public void clear() {
        cache.synchronous().invalidateAll();
    }
}
