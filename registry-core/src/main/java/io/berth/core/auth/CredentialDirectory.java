package io.berth.core.auth;

import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns a credential id (as carried by a registry token) back into a live principal: the user,
 * robot or access token must still exist with the same secret, and a token must be neither revoked
 * nor expired. Answers come from {@link AuthCaches} when they can.
 */
@Singleton
public class CredentialDirectory {
    private final Database database;
    private final CredentialRecords records;
    private final AuthCaches caches;

    @Inject
    public CredentialDirectory(Database database, CredentialRecords records, AuthCaches caches) {
        this.database = database;
        this.records = records;
        this.caches = caches;
    }

    /** The live principal when the answer is cached; null when only {@link #resolve} can tell. */
    public Optional<Principal> cached(String credentialId) {
        Optional<Principal> principal = caches.cachedPrincipal(credentialId);
        return principal == null ? null : principal.filter(CredentialDirectory::unexpired);
    }

    /** The live principal behind {@code credentialId}, or empty (blocking: call on a worker thread). */
    public Optional<Principal> resolve(String credentialId) {
        return caches.principal(credentialId, () -> load(credentialId)).filter(CredentialDirectory::unexpired);
    }

    private Optional<Principal> load(String credentialId) {
        String[] parts = credentialId.split(":", 3);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Optional<Principal> found = database.read(c -> switch (parts[0]) {
                case "user" -> records.userById(c, Long.parseLong(parts[1])).<Principal>map(CredentialRecords.StoredUser::principal);
                case "robot" -> records.robotById(c, Long.parseLong(parts[1])).<Principal>map(CredentialRecords.StoredRobot::principal);
                case "token" -> records.tokenById(c, UUID.fromString(parts[1]))
                        .filter(token -> !token.revoked()).<Principal>map(CredentialRecords.StoredToken::principal);
                default -> Optional.empty();
            });
            // The secret must be the one the credential id was issued for.
            return found.filter(principal -> credentialId.equals(principal.credentialId()));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    static boolean unexpired(Principal principal) {
        return !(principal instanceof Principal.Token token) || !token.expiredAt(Instant.now());
    }
}
