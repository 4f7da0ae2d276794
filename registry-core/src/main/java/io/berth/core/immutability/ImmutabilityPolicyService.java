package io.berth.core.immutability;

import io.berth.core.account.AccountService;
import io.berth.core.account.Actors;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.SqlWork;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Immutability rules as administrators manage them, per organization or per repository. Managing
 * needs the organization's administration (its admins, administrators) or the repository's (role
 * admin on it or its namespace); listing needs membership of the organization or the right to pull
 * the repository. An organization or repository the caller may not see is answered as absent.
 *
 * <p>A namespace holds at most {@link #MAX_RULES_PER_NAMESPACE} rules, its repositories' included:
 * every push by tag matches against all of them. Every change reaches every node's rule cache when
 * its transaction commits.
 */
@Singleton
public class ImmutabilityPolicyService {
    public static final int MAX_RULES_PER_NAMESPACE = 50;

    private final Database database;
    private final ImmutabilityRuleRecords records;
    private final ProtectedTagExpiries expiries;
    private final AccountService accounts;
    private final Permissions permissions;
    private final CacheInvalidations invalidations;

    @Inject
    public ImmutabilityPolicyService(Database database, ImmutabilityRuleRecords records, ProtectedTagExpiries expiries,
            AccountService accounts, Permissions permissions, CacheInvalidations invalidations) {
        this.database = database;
        this.records = records;
        this.expiries = expiries;
        this.accounts = accounts;
        this.permissions = permissions;
        this.invalidations = invalidations;
    }

    /** A scope resolved to its rows: the namespace, and the repository for a repository's rules. */
    private record Resolved(long namespaceId, Long repositoryId) {
    }

    public Future<List<ImmutabilityRule>> list(Principal actor, RuleScope scope) {
        return readable(actor, scope).compose(resolved -> database.read(c -> records.list(c, resolved.namespaceId(), resolved.repositoryId())));
    }

    public Future<ImmutabilityRule> get(Principal actor, RuleScope scope, String uuid) {
        return readable(actor, scope).compose(resolved -> {
            UUID id = ruleId(uuid);
            return database.read(c -> records.find(c, resolved.namespaceId(), resolved.repositoryId(), id))
                    .map(found -> found.orElseThrow(() -> missingRule(uuid)));
        });
    }

    /** Creates a rule; {@code matching} false protects the tags the pattern does not match. */
    public Future<ImmutabilityRule> create(Principal actor, RuleScope scope, String tagPattern, Boolean matching) {
        return Futures.attempt(() -> {
            TagPattern pattern = TagPattern.parse(tagPattern);
            boolean matches = matching == null || matching;
            return managed(actor, scope).compose(resolved -> {
                UUID id = UUID.randomUUID();
                return change(c -> records.countLockingNamespace(c, resolved.namespaceId()).compose(count -> {
                    if (count >= MAX_RULES_PER_NAMESPACE) {
                        throw ManagementException.conflict("a namespace has at most " + MAX_RULES_PER_NAMESPACE
                                + " immutability rules, its repositories' included");
                    }
                    return requireNoDuplicate(c, resolved, pattern, matches, null);
                })
                        .compose(unique -> records.insert(c, id, resolved.namespaceId(), resolved.repositoryId(), pattern, matches, actor.name()))
                        .compose(inserted -> stored(c, resolved, id)));
            });
        });
    }

    /** Replaces a rule's pattern (and {@code matching}, when given), as Quay's PUT does. */
    public Future<ImmutabilityRule> update(Principal actor, RuleScope scope, String uuid, String tagPattern, Boolean matching) {
        return Futures.attempt(() -> {
            TagPattern pattern = TagPattern.parse(tagPattern);
            return managed(actor, scope).compose(resolved -> {
                UUID id = ruleId(uuid);
                return change(c -> records.countLockingNamespace(c, resolved.namespaceId())
                        .compose(locked -> records.find(c, resolved.namespaceId(), resolved.repositoryId(), id))
                        .compose(found -> {
                            boolean matches = matching != null ? matching : found.orElseThrow(() -> missingRule(uuid)).matching();
                            return requireNoDuplicate(c, resolved, pattern, matches, id)
                                    .compose(unique -> records.update(c, resolved.namespaceId(), resolved.repositoryId(), id, pattern, matches));
                        })
                        .compose(updated -> stored(c, resolved, id)));
            });
        });
    }

    public Future<Void> delete(Principal actor, RuleScope scope, String uuid) {
        return managed(actor, scope).compose(resolved -> {
            UUID id = ruleId(uuid);
            return change(c -> records.delete(c, resolved.namespaceId(), resolved.repositoryId(), id).map(deleted -> {
                if (!deleted) {
                    throw missingRule(uuid);
                }
                return new Changed<Void>(null, List.of());
            }));
        });
    }

    /** What a change answers, and the cached references it made stale beyond the rules themselves. */
    private record Changed<T>(T value, List<Invalidation> stale) {
    }

    /** The rule as stored, once the tags it now protects have lost their expiry. */
    private Future<Changed<ImmutabilityRule>> stored(SqlConnection c, Resolved resolved, UUID id) {
        return records.find(c, resolved.namespaceId(), resolved.repositoryId(), id).compose(found -> {
            ImmutabilityRule rule = found.orElseThrow();
            return expiries.release(c, resolved.namespaceId(), resolved.repositoryId(), rule).map(stale -> new Changed<>(rule, stale));
        });
    }

    /** Runs a change of rules in a transaction that announces it to every node, and applies it here once committed. */
    private <T> Future<T> change(SqlWork<Changed<T>> work) {
        return database.transaction(c -> work.apply(c).compose(changed -> {
            List<Invalidation> stale = new ArrayList<>(changed.stale());
            stale.add(Invalidation.immutability());
            return invalidations.publish(c, stale).map(published -> new Changed<>(changed.value(), stale));
        })).map(committed -> {
            invalidations.apply(committed.stale());
            return committed.value();
        });
    }

    private Future<Void> requireNoDuplicate(SqlConnection c, Resolved resolved, TagPattern pattern, boolean matching, UUID except) {
        return records.list(c, resolved.namespaceId(), resolved.repositoryId()).map(existing -> {
            for (ImmutabilityRule rule : existing) {
                if (!rule.id().equals(except) && rule.pattern().source().equals(pattern.source()) && rule.matching() == matching) {
                    throw ManagementException.conflict("a rule with tagPattern " + pattern + " already exists here (" + rule.id() + ")");
                }
            }
            return null;
        });
    }

    /** The scope, which the caller must administer. */
    private Future<Resolved> managed(Principal actor, RuleScope scope) {
        return switch (scope) {
            case RuleScope.Organization organization -> accounts.administeredOrganization(actor, organization.name())
                    .map(namespace -> new Resolved(namespace.id(), null));
            case RuleScope.Repository repository -> permissions.require(actor, repository.name(), Action.ADMIN)
                    .compose(allowed -> repository(repository));
        };
    }

    /** The scope, which the caller must be able to see: a member of the organization, or allowed to pull the repository. */
    private Future<Resolved> readable(Principal actor, RuleScope scope) {
        return switch (scope) {
            case RuleScope.Organization organization -> Futures.attempt(() -> visibleOrganization(actor, organization.name()));
            case RuleScope.Repository repository -> permissions.require(actor, repository.name(), Action.PULL)
                    .compose(allowed -> repository(repository));
        };
    }

    private Future<Resolved> visibleOrganization(Principal actor, String name) {
        Principal.User user = Actors.requireUser(actor);
        return database.read(c -> c.preparedQuery("SELECT n.id, EXISTS (SELECT 1 FROM namespace_members m"
                        + " WHERE m.namespace_id = n.id AND m.user_id = $2) FROM namespaces n WHERE n.name = $1 AND n.kind = 'organization'")
                .execute(Tuple.of(name, user.id())))
                .compose(rows -> {
                    var found = rows.iterator();
                    if (!found.hasNext()) {
                        throw missingOrganization(name);
                    }
                    Row row = found.next();
                    long namespaceId = row.getLong(0);
                    Future<Boolean> sees = Actors.isSuperuser(actor) || row.getBoolean(1) ? Future.succeededFuture(true)
                            : permissions.administers(actor, namespaceId);
                    return sees.map(visible -> {
                        if (!visible) {
                            throw missingOrganization(name);
                        }
                        return new Resolved(namespaceId, null);
                    });
                });
    }

    private Future<Resolved> repository(RuleScope.Repository scope) {
        return database.read(c -> c.preparedQuery("SELECT id, namespace_id FROM repositories WHERE name = $1")
                .execute(Tuple.of(scope.name().value()))
                .map(rows -> {
                    var found = rows.iterator();
                    if (!found.hasNext()) {
                        throw ManagementException.notFound("no repository " + scope.name());
                    }
                    Row row = found.next();
                    return new Resolved(row.getLong(1), row.getLong(0));
                }));
    }

    private static UUID ruleId(String uuid) {
        try {
            return UUID.fromString(uuid);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw missingRule(uuid);
        }
    }

    private static ManagementException missingRule(String uuid) {
        return ManagementException.notFound("no immutability policy " + uuid);
    }

    private static ManagementException missingOrganization(String name) {
        return ManagementException.notFound("no organization " + name);
    }
}
