package io.berth.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Sizes of blobs a repository links, keyed by repository and digest: blob HEAD is asked for every
 * layer of every pull and push. Only positive answers are cached, and keys always include the
 * repository, so a blob deleted from one repository is never served from it because another
 * repository holds the same digest.
 *
 * <p>Misses load through the cache so that a load and an invalidation of the same key are
 * serialised: an unlink that commits while a read of the old state is in flight invalidates after
 * that read has stored its result, so the stale entry cannot outlive the invalidation.
 */
@Singleton
public class BlobLinkCache {
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private record Key(String repository, String digest) {
    }

    private final Cache<Key, Long> sizes = Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterWrite(TIME_TO_LIVE)
            .build();

    /** The cached size, or null when unknown here. */
    public Long size(RepositoryName repository, Digest digest) {
        return sizes.getIfPresent(new Key(repository.value(), digest.toString()));
    }

    /** The size from the cache, loading it with {@code loader} (which throws when the blob is not linked). */
    public long size(RepositoryName repository, Digest digest, Supplier<Long> loader) {
        return sizes.get(new Key(repository.value(), digest.toString()), key -> loader.get());
    }

    public void invalidate(RepositoryName repository, Digest digest) {
        sizes.invalidate(new Key(repository.value(), digest.toString()));
    }

    /** Drops every blob link of a repository (deleted, so it serves none of them any more). */
    public void invalidateRepository(RepositoryName repository) {
        sizes.asMap().keySet().removeIf(key -> key.repository().equals(repository.value()));
    }

    public void clear() {
        sizes.invalidateAll();
    }
}
