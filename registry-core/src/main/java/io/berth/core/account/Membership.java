package io.berth.core.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's role in an organization. Mapped for queries; a role is set with PostgreSQL's upsert (see
 * {@link AccountRecords#setMember}).
 */
@Entity
@Table(name = "namespace_members")
@IdClass(Membership.Key.class)
public class Membership {
    @Id
    @Column(name = "namespace_id")
    private long namespaceId;

    @Id
    @Column(name = "user_id")
    private long userId;

    @Column(nullable = false)
    private String role;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Instant createdAt;

    protected Membership() {
    }

    /** The primary key: one role per user and namespace. */
    public static class Key implements Serializable {
        private long namespaceId;
        private long userId;

        protected Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.namespaceId == namespaceId && key.userId == userId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(namespaceId, userId);
        }
    }
}
