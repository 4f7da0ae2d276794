package io.berth.core.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A namespace: a user's own or an organization's, with its size limit (none when null). */
@Entity
@Table(name = "namespaces")
public class Namespace {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String kind;

    private String email;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    /** Set by administrators after creation: a new namespace has none. */
    @Column(name = "size_limit", insertable = false)
    private Long sizeLimit;

    protected Namespace() {
    }

    Namespace(String name, String kind, String email) {
        this.name = name;
        this.kind = kind;
        this.email = email;
    }

    Long id() {
        return id;
    }

    AccountRecords.NamespaceRow row() {
        return new AccountRecords.NamespaceRow(id, name, kind, email, createdAt);
    }
}
