package io.berth.core.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/**
 * One written entry of the usage log, as it is read back. The log only grows, and only by the
 * batches {@link UsageLog} writes, so entries are immutable here.
 */
@Entity
@Table(name = "usage_logs")
@Immutable
public class UsageLogEntry {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "occurred_at")
    private Instant occurredAt;

    @Column(name = "kind")
    private String kind;

    @Column(name = "performer")
    private String performer;

    @Column(name = "ip")
    private String ip;

    @Column(name = "namespace")
    private String namespace;

    @Column(name = "repository")
    private String repository;

    /** The details as JSON text (a jsonb column, read as text and parsed by the reader). */
    @Column(name = "metadata")
    @ColumnTransformer(read = "cast(metadata as text)")
    private String metadata;

    protected UsageLogEntry() {
    }

    public long id() {
        return id;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String kind() {
        return kind;
    }

    public String performer() {
        return performer;
    }

    public String ip() {
        return ip;
    }

    public String namespace() {
        return namespace;
    }

    public String repository() {
        return repository;
    }

    public String metadata() {
        return metadata;
    }
}
