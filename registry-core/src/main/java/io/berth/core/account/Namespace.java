package io.berth.core.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A namespace: a user's own or an organization's, whose quota, if any, is in namespace_quotas. */
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
