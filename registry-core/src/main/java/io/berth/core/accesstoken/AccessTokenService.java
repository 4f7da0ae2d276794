package io.berth.core.accesstoken;

import io.berth.core.account.AccountRecords;
import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.AccessTokenSecret;
import io.berth.core.auth.Principal;
import io.berth.core.auth.Secrets;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.ModelSessions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Personal access tokens: a user's credential for scripts and machines, read-only or read-write,
 * over all namespaces or chosen ones, with an optional expiry. The secret is shown on creation
 * and regeneration only; every change takes effect at once on every node. Only the owner, signed
 * in as themselves (not through a robot or another token), manages their tokens.
 */
@Singleton
public class AccessTokenService {
    private static final int MAX_NAME_LENGTH = 255;

    private final ModelSessions sessions;
    private final AccessTokenRecords records;
    private final AccountRecords accounts;
    private final AccessChanges changes;

    @Inject
    public AccessTokenService(ModelSessions sessions, AccessTokenRecords records, AccountRecords accounts, AccessChanges changes) {
        this.sessions = sessions;
        this.records = records;
        this.accounts = accounts;
        this.changes = changes;
    }

    public Future<AccessTokenView> create(Principal actor, AccessTokenRequest request) {
        return Futures.attempt(() -> {
            Principal.User owner = owner(actor);
            String name = requireName(request.name());
            Instant expiresAt = requireExpiry(request.expires());
            AccessTokenRequest.Scope scope = requireScope(request.scope());
            UUID id = UUID.randomUUID();
            AccessTokenSecret secret = AccessTokenSecret.generate(id);
            return changes.commitModel(s -> namespaceIds(s, scope)
                            .call(namespaces -> records.insert(s, id, owner.id(), name, Secrets.hash(secret.value()), expiresAt,
                                    scope.allNamespaces(), scope.readWrite()))
                            .chain(namespaces -> records.replaceNamespaces(s, id, namespaces))
                            .chain(() -> records.find(s, owner.id(), id, false))
                            .map(Optional::orElseThrow))
                    .map(created -> created.withSecret(secret.value()));
        });
    }

    /**
     * The Container Registry API's token for a {@code ttl} and nothing else: the owner's own rights
     * (read-write, every namespace), expiring after the lifetime.
     */
    public Future<AccessTokenView> issue(Principal actor, TokenLifetime lifetime) {
        return create(actor, new AccessTokenRequest("token (ttl " + lifetime.wireName() + ")",
                new AccessTokenRequest.Expiry(true, Instant.now().plus(lifetime.duration())),
                new AccessTokenRequest.Scope(true, true, List.of())));
    }

    /**
     * The id of the owner's token whose secret is {@code value}, for the operations that address a
     * token by its value: 400 when it is no token's form at all, 404 when it is no token of theirs.
     */
    public Future<UUID> idOf(Principal actor, String value) {
        return Futures.attempt(() -> {
            Principal.User owner = owner(actor);
            AccessTokenSecret secret = AccessTokenSecret.parse(value)
                    .orElseThrow(() -> ManagementException.badRequest("Invalid or malformed token."));
            return sessions.read(s -> records.secretHash(s, owner.id(), secret.id())).map(hash -> {
                if (!hash.map(stored -> Secrets.matches(secret.value(), stored)).orElse(false)) {
                    throw notFound();
                }
                return secret.id();
            });
        });
    }

    public Future<AccessTokenRecords.Page> list(Principal actor, AccessTokenQuery query) {
        return Futures.attempt(() -> {
            Principal.User owner = owner(actor);
            return sessions.read(s -> records.list(s, owner.id(), query));
        });
    }

    public Future<AccessTokenView> get(Principal actor, UUID id) {
        return Futures.attempt(() -> {
            Principal.User owner = owner(actor);
            return sessions.read(s -> records.find(s, owner.id(), id, false)).map(token -> token.orElseThrow(AccessTokenService::notFound));
        });
    }

    /** Changes name, scope and expiry; fields the request leaves out stay as they are. */
    public Future<AccessTokenView> update(Principal actor, UUID id, AccessTokenRequest request) {
        return Futures.attempt(() -> {
            Principal.User owner = owner(actor);
            String name = request.name() == null ? null : requireName(request.name());
            Instant expiresAt = request.expires() == null ? null : requireExpiry(request.expires());
            AccessTokenRequest.Scope scope = request.scope() == null ? null : requireScope(request.scope());
            return changes.commitModel(s -> active(s, owner, id)
                    .chain(current -> records.update(s, id, name == null ? current.name() : name,
                            request.expires() == null ? current.expiresAt() : expiresAt,
                            scope == null ? current.allNamespaces() : scope.allNamespaces(),
                            scope == null ? current.readWrite() : scope.readWrite()))
                    .chain(() -> scope == null ? Uni.createFrom().voidItem()
                            : namespaceIds(s, scope).chain(namespaces -> records.replaceNamespaces(s, id, namespaces)))
                    .chain(() -> records.find(s, owner.id(), id, false))
                    .map(Optional::orElseThrow));
        });
    }

    /** Gives the token a new expiry (an expired token becomes usable again). */
    public Future<AccessTokenView> refresh(Principal actor, UUID id, AccessTokenRequest.Expiry expiry) {
        return Futures.attempt(() -> update(actor, id, new AccessTokenRequest(null, requirePresent(expiry), null)));
    }

    /**
     * Renews an expiring token for {@code lifetime} from now (the Container Registry API's refresh);
     * a token that never expires is left as it is (409), since a lifetime would shorten it.
     */
    public Future<AccessTokenView> renew(Principal actor, UUID id, TokenLifetime lifetime) {
        return get(actor, id).compose(current -> {
            if (current.expiresAt() == null) {
                throw ManagementException.conflict("the token never expires: give it an expiration instead");
            }
            return refresh(actor, id, new AccessTokenRequest.Expiry(true, Instant.now().plus(lifetime.duration())));
        });
    }

    /** A new secret with the same properties and a new expiry; the old secret stops working at once. */
    public Future<AccessTokenView> regenerate(Principal actor, UUID id, AccessTokenRequest.Expiry expiry) {
        return Futures.attempt(() -> {
            Principal.User owner = owner(actor);
            Instant expiresAt = requireExpiry(requirePresent(expiry));
            AccessTokenSecret secret = AccessTokenSecret.generate(id);
            return changes.commitModel(s -> active(s, owner, id)
                            .call(() -> records.replaceSecret(s, id, Secrets.hash(secret.value())))
                            .chain(current -> records.update(s, id, current.name(), expiresAt, current.allNamespaces(), current.readWrite()))
                            .chain(() -> records.find(s, owner.id(), id, false))
                            .map(Optional::orElseThrow))
                    .map(regenerated -> regenerated.withSecret(secret.value()));
        });
    }

    public Future<Void> revoke(Principal actor, UUID id) {
        return Futures.attempt(() -> {
            Principal.User owner = owner(actor);
            return changes.commitModel(s -> records.find(s, owner.id(), id, true)
                    .invoke(token -> token.orElseThrow(AccessTokenService::notFound))
                    .chain(() -> records.revoke(s, id)));
        });
    }

    private Uni<AccessTokenView> active(Mutiny.Session s, Principal.User owner, UUID id) {
        return records.find(s, owner.id(), id, true).map(token -> {
            AccessTokenView current = token.orElseThrow(AccessTokenService::notFound);
            if (current.status() == AccessTokenView.Status.REVOKED) {
                throw ManagementException.conflict("token " + id + " is revoked");
            }
            return current;
        });
    }

    /** The scope's namespaces, each once however often it is named; looked up one by one, in the order given. */
    private Uni<Set<Long>> namespaceIds(Mutiny.Session s, AccessTokenRequest.Scope scope) {
        Uni<Set<Long>> ids = Uni.createFrom().item(new LinkedHashSet<>());
        if (scope.allNamespaces()) {
            return ids;
        }
        for (String name : scope.namespaces()) {
            ids = ids.call(found -> accounts.namespace(s, name).invoke(namespace -> found.add(namespace
                    .orElseThrow(() -> ManagementException.badRequest("no registry (namespace) " + name)).id())));
        }
        return ids;
    }

    private static Principal.User owner(Principal actor) {
        if (actor instanceof Principal.User user) {
            return user;
        }
        if (actor instanceof Principal.Anonymous) {
            throw ManagementException.unauthorized("authentication required");
        }
        throw ManagementException.forbidden("access tokens are managed by their owner, signed in with a password");
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw ManagementException.badRequest("name is required (at most 255 characters)");
        }
        return name;
    }

    private static <T> T requirePresent(T value) {
        if (value == null) {
            throw ManagementException.badRequest("expiration is required");
        }
        return value;
    }

    private static Instant requireExpiry(AccessTokenRequest.Expiry expiry) {
        requirePresent(expiry);
        if (!expiry.isSet()) {
            return null;
        }
        if (expiry.expiresAt() == null || !expiry.expiresAt().isAfter(Instant.now())) {
            throw ManagementException.badRequest("expiration.expiresAt must be a time in the future when expiration.isSet is true");
        }
        return expiry.expiresAt();
    }

    private static AccessTokenRequest.Scope requireScope(AccessTokenRequest.Scope scope) {
        if (scope == null) {
            throw ManagementException.badRequest("scope is required");
        }
        if (!scope.allNamespaces() && (scope.namespaces() == null || scope.namespaces().isEmpty())) {
            throw ManagementException.badRequest("scope.registryIds must name at least one registry unless scope.allRegistries is true");
        }
        return scope;
    }

    private static ManagementException notFound() {
        return ManagementException.notFound("Token not found.");
    }
}
