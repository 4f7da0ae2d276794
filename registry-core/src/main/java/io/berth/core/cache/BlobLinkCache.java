package io.berth.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sizes of blobs a repository links, keyed by digest and then repository: blob HEAD is asked for
 * every layer of every pull and push. Only positive answers are cached, keys always include the
 * repository (a blob deleted from one repository is never served from it because another holds the
 * same digest), and blobs waiting for garbage collection are not cached at all, so every HEAD of a
 * candidate reaches the database and postpones its collection. Grouping by digest lets a blob that
 * becomes a candidate drop out of every repository at once.
 *
 * <p>Misses load through the per-digest map: requests for a key that is loading wait for that one
 * load, whose entry stays only when it succeeds with a cacheable answer. An invalidation removes a
 * load still in flight too, so a read of the old state that started before an unlink committed is
 * answered to its requests but never stored. A whole digest is dropped by replacing its map; a load
 * still writing into the old one is simply lost.
 */
@Singleton
public class BlobLinkCache {
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    /** What a load found: the linked blob's size, and whether it may be cached. */
    public record Linked(long size, boolean cacheable) {
    }

    /** Per digest, per repository: a load in flight, or a finished cacheable one. */
    private final Cache<String, Map<String, CompletableFuture<Linked>>> byDigest = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(TIME_TO_LIVE)
            .build();

    /** The cached size, or null when unknown here (never waits for a load). */
    public Long size(RepositoryName repository, Digest digest) {
        Map<String, CompletableFuture<Linked>> repositories = byDigest.getIfPresent(digest.toString());
        CompletableFuture<Linked> loaded = repositories == null ? null : repositories.get(repository.value());
        Linked linked = Futures.valueIfDone(loaded);
        return linked == null ? null : linked.size();
    }

    /**
     * The size from the cache, loading it with {@code loader} when it is not there (a failed load,
     * such as one finding the blob not linked, is answered and not kept). The answer comes on the
     * caller's Vert.x context, also when it joins a load another request started.
     */
    public Future<Long> size(RepositoryName repository, Digest digest, Supplier<Future<Linked>> loader) {
        Map<String, CompletableFuture<Linked>> repositories = byDigest.get(digest.toString(), key -> new ConcurrentHashMap<>());
        CompletableFuture<Linked> mine = new CompletableFuture<>();
        CompletableFuture<Linked> loading = repositories.putIfAbsent(repository.value(), mine);
        if (loading == null) {
            loading = mine;
            Futures.attempt(loader::get).onComplete(loaded -> {
                // Out of the map before anyone sees the answer, so that a peek never finds one that must not stay.
                if (loaded.failed() || !loaded.result().cacheable()) {
                    repositories.remove(repository.value(), mine);
                }
                if (loaded.failed()) {
                    mine.completeExceptionally(loaded.cause());
                } else {
                    mine.complete(loaded.result());
                }
            });
        }
        CompletableFuture<Long> size = loading.thenApply(Linked::size);
        return Futures.onCallersContext(size);
    }

    public void invalidate(RepositoryName repository, Digest digest) {
        Map<String, CompletableFuture<Linked>> repositories = byDigest.getIfPresent(digest.toString());
        if (repositories != null) {
            repositories.remove(repository.value());
        }
    }

    /** Drops the blob's links in every repository. */
    public void invalidateDigest(String digest) {
        byDigest.invalidate(digest);
    }

    /** Drops every blob link of a repository (deleted, so it serves none of them any more). */
    public void invalidateRepository(RepositoryName repository) {
        byDigest.asMap().values().forEach(repositories -> repositories.remove(repository.value()));
    }

    public void clear() {
        byDigest.invalidateAll();
    }
}
