package io.berth.core.label;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A label on a manifest: a key, a value and the value's media type. The manifest is referred to by
 * its id only: manifests belong to the protocol's SQL, and a label is deleted with its manifest by
 * the foreign key.
 */
@Entity
@Table(name = "manifest_labels")
public class ManifestLabel {
    @Id
    @Column(name = "id")
    private UUID id;

    @Column(name = "manifest_id", nullable = false, updatable = false)
    private long manifestId;

    @Column(name = "key", nullable = false, updatable = false)
    private String key;

    @Column(name = "value", nullable = false, updatable = false)
    private String value;

    @Column(name = "media_type", nullable = false, updatable = false)
    private String mediaType;

    /** Set by the database when the label is added; orders labels that share a key. */
    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected ManifestLabel() {
    }

    ManifestLabel(UUID id, long manifestId, String key, String value, String mediaType) {
        this.id = id;
        this.manifestId = manifestId;
        this.key = key;
        this.value = value;
        this.mediaType = mediaType;
    }

    public UUID id() {
        return id;
    }

    public long manifestId() {
        return manifestId;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    public String mediaType() {
        return mediaType;
    }
}
