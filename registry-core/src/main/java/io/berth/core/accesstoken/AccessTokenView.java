package io.berth.core.accesstoken;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An access token as its owner sees it; the secret only right after it was made. */
public record AccessTokenView(UUID id, String name, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
        boolean allNamespaces, boolean readWrite, List<String> namespaces, Status status, String secret) {

    public enum Status {
        ACTIVE, EXPIRED, REVOKED
    }

    AccessTokenView withSecret(String value) {
        return new AccessTokenView(id, name, createdAt, lastUsedAt, expiresAt, allNamespaces, readWrite, namespaces, status, value);
    }
}
