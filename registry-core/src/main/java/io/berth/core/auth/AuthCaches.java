package io.berth.core.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What authentication and authorization learned from PostgreSQL, so a pull does not hash a
 * password or query permissions on every request. Any change to users, robots, tokens, memberships,
 * permissions or visibility clears all of it on every node (see
 * {@link io.berth.core.cache.CacheInvalidations}): such changes are rare, and a revoked credential
 * must stop working at once.
 *
 * <p>Principals and permissions are cached as loads in flight: callers asking for the same key at
 * once share one query, and a clear while a load is in flight drops it, so an answer read before a
 * change is not kept after it.
 */
@Singleton
public class AuthCaches {
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private record PermissionKey(String credentialId, String repository) {
    }

    /** Proven (name, secret) pairs, keyed by a hash of both, to the credential they proved. */
    private final Cache<String, String> proven = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(TIME_TO_LIVE).build();
    private final AsyncCache<String, Optional<Principal>> principals = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(TIME_TO_LIVE).buildAsync();
    private final AsyncCache<PermissionKey, Set<Action>> permissions = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterWrite(TIME_TO_LIVE).buildAsync();

    String provenCredential(String secretKey) {
        return proven.getIfPresent(secretKey);
    }

    void rememberProven(String secretKey, String credentialId) {
        proven.put(secretKey, credentialId);
    }

    /** The principal behind a credential if cached: null when unknown here, empty when it no longer exists. */
    Optional<Principal> cachedPrincipal(String credentialId) {
        return Futures.valueIfDone(principals.getIfPresent(credentialId));
    }

    Future<Optional<Principal>> principal(String credentialId, Supplier<Future<Optional<Principal>>> loader) {
        return shared(principals, credentialId, loader);
    }

    Set<Action> cachedPermissions(Principal principal, RepositoryName repository) {
        return Futures.valueIfDone(permissions.getIfPresent(new PermissionKey(keyOf(principal), repository.value())));
    }

    Future<Set<Action>> permissions(Principal principal, RepositoryName repository, Supplier<Future<Set<Action>>> loader) {
        return shared(permissions, new PermissionKey(keyOf(principal), repository.value()), loader);
    }

    public void clear() {
        proven.invalidateAll();
        principals.synchronous().invalidateAll();
        permissions.synchronous().invalidateAll();
    }

    private static String keyOf(Principal principal) {
        String credential = principal.credentialId();
        return credential == null ? "" : credential;
    }

    /**
     * The cached value, or the one {@code loader} brings (a failed load is not kept). The answer
     * completes on the caller's Vert.x context, not on that of whichever request started the load.
     */
    private static <K, V> Future<V> shared(AsyncCache<K, V> cache, K key, Supplier<Future<V>> loader) {
        CompletableFuture<V> load = cache.get(key, (ignored, executor) -> loader.get().toCompletionStage().toCompletableFuture());
        return Futures.onCallersContext(load);
    }
}
