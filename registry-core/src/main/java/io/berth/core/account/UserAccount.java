package io.berth.core.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user who signs in with a password (kept as an Argon2id string), owning the namespace of their name. */
@Entity
@Table(name = "users")
public class UserAccount {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String username;

    private String email;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(nullable = false)
    private boolean superuser;

    @Column(name = "namespace_id", nullable = false)
    private long namespaceId;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected UserAccount() {
    }

    UserAccount(String username, String email, String passwordHash, boolean superuser, long namespaceId) {
        this.username = username;
        this.email = email;
        this.passwordHash = passwordHash;
        this.superuser = superuser;
        this.namespaceId = namespaceId;
    }

    Long id() {
        return id;
    }

    AccountRecords.UserRow row() {
        return new AccountRecords.UserRow(id, username, email, superuser, namespaceId, createdAt);
    }
}
