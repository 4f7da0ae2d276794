package io.berth.core.accesstoken;

import java.time.Instant;
import java.util.List;

/**
 * What a caller asks of a token: a name, an expiry (null {@code expires} leaves it unchanged on
 * update; {@code expiresAt} null means never) and a scope. Fields left null are not changed.
 */
public record AccessTokenRequest(String name, Expiry expires, Scope scope) {

    public record Expiry(boolean isSet, Instant expiresAt) {
    }

    public record Scope(boolean allNamespaces, boolean readWrite, List<String> namespaces) {
    }
}
