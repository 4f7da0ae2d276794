package io.berth.core.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * A role on one repository, held by a user or a robot (exactly one of the two is set). The table has
 * no primary key: the repository and the holder identify a row (its two partial unique indexes).
 * Mapped for queries and deletes only; a role is granted with PostgreSQL's upsert (see
 * {@link RepositoryAccessService}), so no instance is ever loaded with a half-null identifier.
 */
@Entity
@Table(name = "repository_permissions")
@IdClass(RepositoryPermission.Key.class)
public class RepositoryPermission {
    @Id
    @Column(name = "repository_id")
    private long repositoryId;

    @Id
    @Column(name = "user_id")
    private Long userId;

    @Id
    @Column(name = "robot_id")
    private Long robotId;

    @Column(nullable = false)
    private String role;

    protected RepositoryPermission() {
    }

    /** The repository and the holder: a user or a robot. */
    public static class Key implements Serializable {
        private long repositoryId;
        private Long userId;
        private Long robotId;

        protected Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.repositoryId == repositoryId && Objects.equals(key.userId, userId)
                    && Objects.equals(key.robotId, robotId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(repositoryId, userId, robotId);
        }
    }
}
