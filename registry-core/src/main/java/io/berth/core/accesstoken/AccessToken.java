package io.berth.core.accesstoken;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.hibernate.annotations.Formula;

/**
 * A user's access token; its secret is kept only as a SHA-256 digest. Its name, expiry, scope,
 * secret and revocation are changed with statements (see {@link AccessTokenRecords}), never through
 * this entity.
 */
@Entity
@Table(name = "access_tokens")
public class AccessToken {
    @Id
    private UUID id;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(nullable = false)
    private String name;

    @Column(name = "secret_hash", nullable = false)
    private byte[] secretHash;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "all_namespaces", nullable = false)
    private boolean allNamespaces;

    @Column(name = "read_write", nullable = false)
    private boolean readWrite;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    /** Written by sign-ins (through SQL), never by this entity. */
    @Column(name = "last_used_at", insertable = false, updatable = false)
    private Instant lastUsedAt;

    @Column(name = "revoked_at", insertable = false)
    private Instant revokedAt;

    /** The names of the namespaces it is limited to, in order. */
    @Formula("ARRAY(SELECT n.name FROM access_token_namespaces tn JOIN namespaces n ON n.id = tn.namespace_id "
            + "WHERE tn.token_id = id ORDER BY n.name)")
    private String[] namespaces;

    protected AccessToken() {
    }

    AccessToken(UUID id, long userId, String name, byte[] secretHash, Instant expiresAt, boolean allNamespaces, boolean readWrite) {
        this.id = id;
        this.userId = userId;
        this.name = name;
        this.secretHash = secretHash;
        this.expiresAt = expiresAt;
        this.allNamespaces = allNamespaces;
        this.readWrite = readWrite;
    }

    byte[] secretHash() {
        return secretHash;
    }

    /** The token as its owner sees it, its status as of {@code now}. */
    AccessTokenView view(Instant now) {
        AccessTokenView.Status status = revokedAt != null ? AccessTokenView.Status.REVOKED
                : expiresAt != null && !now.isBefore(expiresAt) ? AccessTokenView.Status.EXPIRED
                : AccessTokenView.Status.ACTIVE;
        return new AccessTokenView(id, name, createdAt, lastUsedAt, expiresAt, allNamespaces, readWrite, Arrays.asList(namespaces),
                status, null);
    }
}
