package io.berth.core.auth;

import io.berth.core.metadata.Database;
import io.berth.core.metadata.SqlWork;
import io.vertx.core.Future;
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

    /** The live principal behind {@code credentialId}, or empty. */
    public Future<Optional<Principal>> resolve(String credentialId) {
        Optional<Principal> cached = cached(credentialId);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return caches.principal(credentialId, () -> load(credentialId)).map(found -> found.filter(CredentialDirectory::unexpired));
    }

    private Future<Optional<Principal>> load(String credentialId) {
        SqlWork<Optional<Principal>> lookup = lookup(credentialId);
        if (lookup == null) {
            return Future.succeededFuture(Optional.empty());
        }
        // The secret must be the one the credential id was issued for.
        return database.read(lookup).map(found -> found.filter(principal -> credentialId.equals(principal.credentialId())));
    }

    /** The query that finds the credential named by {@code credentialId}, or null when it names none. */
    private SqlWork<Optional<Principal>> lookup(String credentialId) {
        String[] parts = credentialId.split(":", 3);
        if (parts.length != 3) {
            return null;
        }
        try {
            return switch (parts[0]) {
                case "user" -> {
                    long id = Long.parseLong(parts[1]);
                    yield c -> records.userById(c, id).map(user -> user.<Principal>map(CredentialRecords.StoredUser::principal));
                }
                case "robot" -> {
                    long id = Long.parseLong(parts[1]);
                    yield c -> records.robotById(c, id).map(robot -> robot.<Principal>map(CredentialRecords.StoredRobot::principal));
                }
                case "token" -> {
                    UUID id = UUID.fromString(parts[1]);
                    yield c -> records.tokenById(c, id).map(token -> token.filter(stored -> !stored.revoked())
                            .<Principal>map(CredentialRecords.StoredToken::principal));
                }
                default -> null;
            };
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    static boolean unexpired(Principal principal) {
        return !(principal instanceof Principal.Token token) || !token.expiredAt(Instant.now());
    }
}
