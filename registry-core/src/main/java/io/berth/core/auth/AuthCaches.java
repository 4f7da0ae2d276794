package io.berth.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.core.domain.RepositoryName;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What authentication and authorization learned from PostgreSQL, so a pull does not hash a
 * password or query permissions on every request. Any change to users, robots, tokens, memberships,
 * permissions or visibility clears all of it on every node (see
 * {@link io.berth.core.cache.CacheInvalidations}): such changes are rare, and a revoked credential
 * must stop working at once.
 */
@Singleton
public class AuthCaches {
    private static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);

    private record PermissionKey(String credentialId, String repository) {
    }

    /** Proven (name, secret) pairs, keyed by a hash of both, to the credential they proved. */
    private final Cache<String, String> proven = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(TIME_TO_LIVE).build();
    private final Cache<String, Optional<Principal>> principals = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(TIME_TO_LIVE).build();
    private final Cache<PermissionKey, Set<Action>> permissions = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterWrite(TIME_TO_LIVE).build();

    String provenCredential(String secretKey) {
        return proven.getIfPresent(secretKey);
    }

    void rememberProven(String secretKey, String credentialId) {
        proven.put(secretKey, credentialId);
    }

    /** The principal behind a credential if cached: null when unknown here, empty when it no longer exists. */
    Optional<Principal> cachedPrincipal(String credentialId) {
        return principals.getIfPresent(credentialId);
    }

    Optional<Principal> principal(String credentialId, Supplier<Optional<Principal>> loader) {
        return principals.get(credentialId, key -> loader.get());
    }

    Set<Action> cachedPermissions(Principal principal, RepositoryName repository) {
        return permissions.getIfPresent(new PermissionKey(keyOf(principal), repository.value()));
    }

    Set<Action> permissions(Principal principal, RepositoryName repository, Supplier<Set<Action>> loader) {
        return permissions.get(new PermissionKey(keyOf(principal), repository.value()), key -> loader.get());
    }

    public void clear() {
        proven.invalidateAll();
        principals.invalidateAll();
        permissions.invalidateAll();
    }

    private static String keyOf(Principal principal) {
        String credential = principal.credentialId();
        return credential == null ? "" : credential;
    }
}
