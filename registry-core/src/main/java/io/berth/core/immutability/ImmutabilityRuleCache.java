package io.berth.core.immutability;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.concurrent.Futures;
import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The immutability rules of each repository, by repository id, in front of PostgreSQL: every
 * manifest push by tag and every tag change asks for them. Repositories without rules are cached
 * too (nearly all of them), so a push into one costs no query. Any change to any rule clears the
 * whole cache on every node (rule changes are rare, and a namespace rule touches all of its
 * repositories); clearing also drops loads in flight, so a load that read the rules before a change
 * committed is answered to its requests but never kept.
 */
@Singleton
public class ImmutabilityRuleCache {
    /** Bounds staleness should an invalidation from another node be missed. */
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private final AsyncCache<Long, RepositoryRules> cache = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(TIME_TO_LIVE)
            .buildAsync();

    /** The repository's rules from the cache, loading them with {@code loader} when they are not there (only a successful load stays). */
    public Future<RepositoryRules> get(long repositoryId, Supplier<Future<RepositoryRules>> loader) {
        CompletableFuture<RepositoryRules> loading = cache.get(repositoryId,
                (key, executor) -> Futures.attempt(loader::get).toCompletionStage().toCompletableFuture());
        return Futures.onCallersContext(loading);
    }

    public void clear() {
        cache.synchronous().invalidateAll();
    }
}
