package io.berth.core.auth;

import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a name and secret as a client presents them (HTTP Basic): a user's password, a robot's
 * token ({@code <namespace>+<name>} or {@code robot$<namespace>+<name>}) or an access token
 * (recognised by its {@value AccessTokenSecret#PREFIX} prefix, whatever the name). Successful checks
 * are cached by a hash of name and secret, so the Argon2id cost is paid once per credential, not
 * per request. Blocking: call on a worker thread.
 */
@Singleton
public class Authenticator {
    private static final String ROBOT_PREFIX = "robot$";
    private static final Duration USAGE_RESOLUTION = Duration.ofMinutes(1);

    private final Database database;
    private final CredentialRecords records;
    private final CredentialDirectory directory;
    private final AuthCaches caches;
    private final Map<String, Instant> lastRecordedUse = new ConcurrentHashMap<>();

    @Inject
    public Authenticator(Database database, CredentialRecords records, CredentialDirectory directory, AuthCaches caches) {
        this.database = database;
        this.records = records;
        this.directory = directory;
        this.caches = caches;
    }

    /** The principal these credentials prove, or empty when they prove nothing. */
    public Optional<Principal> authenticate(String name, String secret) {
        if (name == null || secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        String key = cacheKey(name, secret);
        String proven = caches.provenCredential(key);
        Optional<Principal> principal = proven != null ? directory.resolve(proven) : verify(name, secret);
        principal.ifPresent(found -> {
            caches.rememberProven(key, found.credentialId());
            recordUse(found.credentialId());
        });
        return principal;
    }

    private Optional<Principal> verify(String name, String secret) {
        if (secret.startsWith(AccessTokenSecret.PREFIX)) {
            return verifyAccessToken(secret);
        }
        String username = name.startsWith(ROBOT_PREFIX) ? name.substring(ROBOT_PREFIX.length()) : name;
        int plus = username.indexOf('+');
        if (plus > 0) {
            String namespace = username.substring(0, plus);
            String shortName = username.substring(plus + 1);
            return database.read(c -> records.robotByName(c, namespace, shortName))
                    .filter(robot -> Secrets.matches(secret, robot.tokenHash()))
                    .<Principal>map(CredentialRecords.StoredRobot::principal);
        }
        Optional<CredentialRecords.StoredUser> user = database.read(c -> records.userByName(c, username));
        if (user.isEmpty()) {
            // Spend the same effort as for a real user, so timing does not reveal which names exist.
            PasswordHasher.verify(secret, DummyHash.VALUE);
            return Optional.empty();
        }
        return user.filter(stored -> PasswordHasher.verify(secret, stored.passwordHash()))
                .<Principal>map(CredentialRecords.StoredUser::principal);
    }

    private Optional<Principal> verifyAccessToken(String secret) {
        Optional<AccessTokenSecret> parsed = AccessTokenSecret.parse(secret);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        UUID id = parsed.get().id();
        return database.read(c -> records.tokenById(c, id))
                .filter(token -> !token.revoked() && Secrets.matches(secret, token.secretHash()))
                .<Principal>map(CredentialRecords.StoredToken::principal)
                .filter(CredentialDirectory::unexpired);
    }

    /** Keeps robots' and tokens' last use, to the minute, without a write per request. */
    private void recordUse(String credentialId) {
        if (credentialId.startsWith("user:")) {
            return;
        }
        Instant now = Instant.now();
        Instant last = lastRecordedUse.get(credentialId);
        if (last != null && last.plus(USAGE_RESOLUTION).isAfter(now)) {
            return;
        }
        lastRecordedUse.put(credentialId, now);
        database.transaction(c -> {
            records.touch(c, credentialId, now);
            return null;
        });
    }

    private static String cacheKey(String name, String secret) {
        byte[] joined = (name + '\0' + secret).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(Secrets.sha256(joined));
    }

    /** What unknown names are checked against: derived on first need rather than while the registry starts. */
    private static final class DummyHash {
        static final String VALUE = PasswordHasher.hash(Secrets.generate());
    }
}
