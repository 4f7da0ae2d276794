package io.berth.core.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;

/**
 * What administrators set on a repository (its description, visibility and state), mapped over
 * the settings columns of the {@code repositories} table. Repositories are created and deleted with
 * their content, in SQL, never through this entity. An update writes only the columns it changed,
 * so that two settings changed at once do not undo each other.
 */
@Entity
@Table(name = "repositories")
@DynamicUpdate
public class RepositorySettings {
    @Id
    @Column(name = "id")
    private Long id;

    @Column(name = "name", insertable = false, updatable = false)
    private String name;

    @Column(name = "visibility")
    private String visibility;

    @Column(name = "state")
    private String state;

    @Column(name = "description")
    private String description;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected RepositorySettings() {
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String visibility() {
        return visibility;
    }

    public String state() {
        return state;
    }

    public String description() {
        return description;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
