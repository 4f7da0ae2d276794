package io.berth.core.auth;

import io.berth.core.concurrent.Blocking;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
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
 * per request. Argon2id runs on the worker pool; everything else here, SHA-256 of robot and token
 * secrets included, is cheap enough for the event loop.
 */
@Singleton
public class Authenticator {
    private static final String ROBOT_PREFIX = "robot$";
    private static final Duration USAGE_RESOLUTION = Duration.ofMinutes(1);

    private final Database database;
    private final CredentialRecords records;
    private final CredentialDirectory directory;
    private final AuthCaches caches;
    private final Blocking blocking;
    private final Map<String, Instant> lastRecordedUse = new ConcurrentHashMap<>();

    @Inject
    public Authenticator(Database database, CredentialRecords records, CredentialDirectory directory, AuthCaches caches,
            Blocking blocking) {
        this.database = database;
        this.records = records;
        this.directory = directory;
        this.caches = caches;
        this.blocking = blocking;
    }

    /** The principal these credentials prove, or empty when they prove nothing. */
    public Future<Optional<Principal>> authenticate(String name, String secret) {
        if (name == null || secret == null || secret.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        String key = cacheKey(name, secret);
        String proven = caches.provenCredential(key);
        Future<Optional<Principal>> principal = proven != null ? directory.resolve(proven) : verify(name, secret);
        return principal.compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(found);
            }
            caches.rememberProven(key, found.get().credentialId());
            return recordUse(found.get().credentialId()).map(found);
        });
    }

    private Future<Optional<Principal>> verify(String name, String secret) {
        if (secret.startsWith(AccessTokenSecret.PREFIX)) {
            return verifyAccessToken(secret);
        }
        String username = name.startsWith(ROBOT_PREFIX) ? name.substring(ROBOT_PREFIX.length()) : name;
        int plus = username.indexOf('+');
        if (plus > 0) {
            String namespace = username.substring(0, plus);
            String shortName = username.substring(plus + 1);
            return database.read(c -> records.robotByName(c, namespace, shortName))
                    .map(robot -> robot.filter(stored -> Secrets.matches(secret, stored.tokenHash()))
                            .<Principal>map(CredentialRecords.StoredRobot::principal));
        }
        return database.read(c -> records.userByName(c, username)).compose(user -> {
            if (user.isEmpty()) {
                // Spend the same effort as for a real user, so timing does not reveal which names exist.
                return blocking.run(() -> PasswordHasher.verify(secret, DummyHash.VALUE)).map(ignored -> Optional.<Principal>empty());
            }
            return blocking.run(() -> PasswordHasher.verify(secret, user.get().passwordHash()))
                    .map(matches -> matches ? Optional.<Principal>of(user.get().principal()) : Optional.<Principal>empty());
        });
    }

    private Future<Optional<Principal>> verifyAccessToken(String secret) {
        Optional<AccessTokenSecret> parsed = AccessTokenSecret.parse(secret);
        if (parsed.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        UUID id = parsed.get().id();
        return database.read(c -> records.tokenById(c, id))
                .map(token -> token.filter(stored -> !stored.revoked() && Secrets.matches(secret, stored.secretHash()))
                        .<Principal>map(CredentialRecords.StoredToken::principal)
                        .filter(CredentialDirectory::unexpired));
    }

    /** Keeps robots' and tokens' last use, to the minute, without a write per request. */
    private Future<Void> recordUse(String credentialId) {
        if (credentialId.startsWith("user:")) {
            return Future.succeededFuture();
        }
        Instant now = Instant.now();
        Instant last = lastRecordedUse.get(credentialId);
        if (last != null && last.plus(USAGE_RESOLUTION).isAfter(now)) {
            return Future.succeededFuture();
        }
        lastRecordedUse.put(credentialId, now);
        return database.single(c -> records.touch(c, credentialId, now));
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
