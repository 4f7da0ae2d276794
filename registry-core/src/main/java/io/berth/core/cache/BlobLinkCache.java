package io.berth.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
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
 * <p>Misses load through the per-digest map so that a load and an invalidation of the same key are
 * serialised: an unlink that commits while a read of the old state is in flight invalidates after
 * that read has stored its result, so the stale entry cannot outlive the invalidation. A whole
 * digest is dropped by replacing its map; a load still writing into the old one is simply lost.
 */
@Singleton
public class BlobLinkCache {
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    /** What a load found: the linked blob's size, and whether it may be cached. */
    public record Linked(long size, boolean cacheable) {
    }

    private final Cache<String, Map<String, Long>> byDigest = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(TIME_TO_LIVE)
            .build();

    /** The cached size, or null when unknown here. */
    public Long size(RepositoryName repository, Digest digest) {
        Map<String, Long> repositories = byDigest.getIfPresent(digest.toString());
        return repositories == null ? null : repositories.get(repository.value());
    }

    /** The size from the cache, loading it with {@code loader} (which throws when the blob is not linked). */
    public long size(RepositoryName repository, Digest digest, Supplier<Linked> loader) {
        Map<String, Long> repositories = byDigest.get(digest.toString(), key -> new ConcurrentHashMap<>());
        Linked[] uncached = new Linked[1];
        Long size = repositories.computeIfAbsent(repository.value(), key -> {
            Linked linked = loader.get();
            if (linked.cacheable()) {
                return linked.size();
            }
            uncached[0] = linked;
            return null;
        });
        return size != null ? size : uncached[0].size();
    }

    public void invalidate(RepositoryName repository, Digest digest) {
        Map<String, Long> repositories = byDigest.getIfPresent(digest.toString());
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
