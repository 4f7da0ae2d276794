package io.berth.core.auth;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling. Every authenticated principal carries a credential id naming the credential it
 * proved ({@code kind:id:fingerprint}); the fingerprint changes with the secret, so tokens issued
 * for a credential stop working once it is changed, revoked or deleted.
 */
public sealed interface Principal {

    /** The name registry tokens are issued to (their {@code sub}). */
    String name();

    /** The credential behind this principal, or null for an anonymous caller. */
    String credentialId();

    /** The user that answers for this principal (a token's owner), or null. */
    default User user() {
        return null;
    }

    record Anonymous() implements Principal {
        @Override
        public String name() {
            return "";
        }

        @Override
        public String credentialId() {
            return null;
        }
    }

    record User(long id, String username, long namespaceId, boolean superuser, String credentialId) implements Principal {
        @Override
        public String name() {
            return username;
        }

        @Override
        public User user() {
            return this;
        }
    }

    /** A robot {@code <namespace>+<shortName>}; it may do only what it was granted on repositories. */
    record Robot(long id, long namespaceId, String namespace, String shortName, String credentialId) implements Principal {
        @Override
        public String name() {
            return namespace + "+" + shortName;
        }
    }

    /**
     * A personal access token: at most its owner's rights, read-only unless {@code readWrite}, over
     * all namespaces or only {@code namespaceIds}.
     */
    record Token(UUID id, User owner, boolean readWrite, boolean allNamespaces, Set<Long> namespaceIds,
            Instant expiresAt, String credentialId) implements Principal {
        @Override
        public String name() {
            return owner.username();
        }

        @Override
        public User user() {
            return owner;
        }

        public boolean expiredAt(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    Anonymous ANONYMOUS = new Anonymous();
}
