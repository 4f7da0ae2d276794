package io.berth.core.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A robot account of a namespace; its token is kept only as a SHA-256 digest. */
@Entity
@Table(name = "robots")
public class Robot {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "namespace_id", nullable = false)
    private long namespaceId;

    @Column(name = "short_name", nullable = false)
    private String shortName;

    @Column(nullable = false)
    private String description;

    /**
     * The metadata as PostgreSQL writes jsonb out, so answers show it as they always did. Bound as
     * text and cast: the reactive client would encode a String given for a jsonb parameter as a JSON string.
     */
    @Column(name = "unstructured_metadata", nullable = false)
    @ColumnTransformer(read = "unstructured_metadata::text", write = "?::text::jsonb")
    private String metadataJson;

    @Column(name = "token_hash", nullable = false)
    private byte[] tokenHash;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    /** Written by sign-ins (through SQL), never by this entity. */
    @Column(name = "last_used_at", insertable = false, updatable = false)
    private Instant lastUsedAt;

    protected Robot() {
    }

    Robot(long namespaceId, String shortName, String description, String metadataJson, byte[] tokenHash) {
        this.namespaceId = namespaceId;
        this.shortName = shortName;
        this.description = description;
        this.metadataJson = metadataJson;
        this.tokenHash = tokenHash;
    }

    Long id() {
        return id;
    }

    RobotRecords.RobotRow row(String namespace) {
        return new RobotRecords.RobotRow(id, namespace, shortName, description, metadataJson, createdAt, lastUsedAt);
    }
}
