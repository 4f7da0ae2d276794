package io.berth.core.accesstoken;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** A namespace an access token is limited to (when it is not over all namespaces). */
@Entity
@Table(name = "access_token_namespaces")
@IdClass(AccessTokenNamespace.Key.class)
public class AccessTokenNamespace {
    @Id
    @Column(name = "token_id")
    private UUID tokenId;

    @Id
    @Column(name = "namespace_id")
    private long namespaceId;

    protected AccessTokenNamespace() {
    }

    AccessTokenNamespace(UUID tokenId, long namespaceId) {
        this.tokenId = tokenId;
        this.namespaceId = namespaceId;
    }

    /** The primary key: a token names a namespace once. */
    public static class Key implements Serializable {
        private UUID tokenId;
        private long namespaceId;

        protected Key() {
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(key.tokenId, tokenId) && key.namespaceId == namespaceId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(tokenId, namespaceId);
        }
    }
}
