package io.berth.core.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;

/**
 * A namespace with what it stores, read only: {@link OrganizationView}'s columns. Its repositories,
 * blobs and manifests are the protocol's tables, not mapped here, so the two sizes are SQL formulas.
 */
@Entity
@Immutable
@Table(name = "namespaces")
public class OrganizationSummary {
    @Id
    private Long id;

    private String name;

    private String kind;

    private String email;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "size_limit")
    private Long sizeLimit;

    @Formula("(SELECT count(*) FROM repositories r WHERE r.namespace_id = id)")
    private long repositoryCount;

    /** Every blob its repositories link, once however many link it, plus their manifests. */
    @Formula("""
            COALESCE((SELECT sum(b.size) FROM blobs b WHERE b.digest IN (
                SELECT rb.digest FROM repository_blobs rb JOIN repositories r ON r.id = rb.repository_id
                WHERE r.namespace_id = id)), 0)
            + COALESCE((SELECT sum(length(m.payload)) FROM manifests m JOIN repositories r ON r.id = m.repository_id
                        WHERE r.namespace_id = id), 0)""")
    private long size;

    protected OrganizationSummary() {
    }

    OrganizationView view() {
        return new OrganizationView(name, email, createdAt, repositoryCount, size, sizeLimit);
    }
}
