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
 * usage and quota are tables of their own, not mapped here, so they are SQL formulas.
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

    /** Its quota's limit_bytes (the Container Registry API's sizeLimit); null without a quota. */
    @Formula("(SELECT q.limit_bytes FROM namespace_quotas q WHERE q.namespace_id = id)")
    private Long sizeLimit;

    @Formula("(SELECT count(*) FROM repositories r WHERE r.namespace_id = id)")
    private long repositoryCount;

    /**
     * Every blob its repositories link and every manifest they hold, each digest once however many
     * repositories hold it: the usage counter the quota is enforced against, kept by the database.
     */
    @Formula("COALESCE((SELECT u.used_bytes FROM namespace_usage u WHERE u.namespace_id = id), 0)")
    private long size;

    protected OrganizationSummary() {
    }

    OrganizationView view() {
        return new OrganizationView(name, email, createdAt, repositoryCount, size, sizeLimit);
    }
}
