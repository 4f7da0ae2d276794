package io.berth.api.auth;

import io.berth.core.auth.Action;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A verified registry token: whose credential it was issued for (null when anonymous) and what it
 * grants, per repository.
 */
public record RegistryToken(String credentialId, Map<String, Set<Action>> repositories, Instant expiresAt) {

    public boolean grants(String repository, Action action) {
        Set<Action> granted = repositories.get(repository);
        return granted != null && granted.contains(action);
    }
}
