package io.berth.core.auth;

import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * What a principal may do to a repository. Administrators may do everything; a user has admin
 * rights in their own namespace, their membership role in an organization and any role granted on
 * the repository itself; a robot only what was granted to it on repositories; an access token its
 * owner's rights narrowed to its namespaces and to pulls when read-only. Everyone, anonymous
 * callers included, may pull public repositories. Pushing to a repository that does not exist yet
 * creates it, so namespace roles apply to repositories before their first push.
 *
 * <p>A read-only repository allows nothing but pulls and its administration (its state, visibility,
 * permissions and description), to everyone, administrators included: every change to its content
 * needs push or delete, which it withholds. That is pushes and deletes over /v2, tag changes and
 * deletes, labels, manifest deletes, cleanups and deleting the repository itself. The refusal
 * ({@link #refusal}) says that the repository is read-only.
 */
@Singleton
public class Permissions {
    private final Database database;
    private final AuthCaches caches;

    @Inject
    public Permissions(Database database, AuthCaches caches) {
        this.database = database;
        this.caches = caches;
    }

    /** The cached answer, or null when only {@link #actions} can tell. */
    public Set<Action> cached(Principal principal, RepositoryName repository) {
        return caches.cachedPermissions(principal, repository);
    }

    /** The actions {@code principal} may take on {@code repository}. */
    public Future<Set<Action>> actions(Principal principal, RepositoryName repository) {
        Set<Action> cached = cached(principal, repository);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return caches.permissions(principal, repository, () -> database.read(c -> load(c, principal, repository)));
    }

    /**
     * Requires {@code action} on the repository for a management operation: a repository the
     * principal may not even pull is answered as absent (404), a missing right with 403.
     */
    public Future<Void> require(Principal principal, RepositoryName repository, Action action) {
        return actions(principal, repository).compose(allowed -> {
            if (!allowed.contains(Action.PULL) && !allowed.contains(Action.ADMIN)) {
                return Future.failedFuture(ManagementException.notFound("no repository " + repository));
            }
            if (!allowed.contains(action)) {
                return refusal(principal, repository, action).compose(Future::failedFuture);
            }
            return Future.succeededFuture();
        });
    }

    /** Why {@code principal} may not {@code action} the repository: it is read-only, or the right is not theirs. */
    public Future<ManagementException> refusal(Principal principal, RepositoryName repository, Action action) {
        Future<Boolean> readOnly = Action.READ_ONLY.contains(action) ? Future.succeededFuture(false) : readOnly(repository);
        return readOnly.map(refusedToAll -> refusedToAll
                ? ManagementException.forbidden("repository " + repository + " is read-only: nothing in it changes until its state is"
                        + " NORMAL again")
                : ManagementException.forbidden(principal.name() + " may not " + action.scopeName() + " in " + repository));
    }

    /** Whether the repository's state is {@code READ_ONLY}. */
    public Future<Boolean> readOnly(RepositoryName repository) {
        return database.read(c -> c.preparedQuery("SELECT 1 FROM repositories WHERE name = $1 AND state = 'READ_ONLY'")
                .execute(Tuple.of(repository.value()))
                .map(rows -> rows.iterator().hasNext()));
    }

    /** Whether {@code principal} administers the namespace: its owner, an admin member or an administrator. */
    public Future<Boolean> administers(Principal principal, long namespaceId) {
        Principal.User user = principal.user();
        if (user == null || principal instanceof Principal.Token token && !token.readWrite()) {
            return Future.succeededFuture(false);
        }
        if (principal instanceof Principal.Token token && !token.allNamespaces() && !token.namespaceIds().contains(namespaceId)) {
            return Future.succeededFuture(false);
        }
        if (user.superuser() || user.namespaceId() == namespaceId) {
            return Future.succeededFuture(true);
        }
        return database.read(c -> c.preparedQuery("SELECT 1 FROM namespace_members WHERE namespace_id = $1 AND user_id = $2 AND role = 'admin'")
                .execute(Tuple.of(namespaceId, user.id()))
                .map(rows -> rows.iterator().hasNext()));
    }

    /** The repositories {@code principal} may see in listings. */
    public Future<RepositoryFilter> visibleTo(Principal principal) {
        Principal.User user = principal.user();
        if (user != null && user.superuser() && isUnrestricted(principal)) {
            return Future.succeededFuture(RepositoryFilter.EVERYTHING);
        }
        if (principal instanceof Principal.Robot robot) {
            return database.read(c -> grantedRepositories(c, "robot_id", robot.id(), null))
                    .map(repositories -> new RepositoryFilter(false, Set.of(), repositories, true));
        }
        if (user == null) {
            return Future.succeededFuture(new RepositoryFilter(false, Set.of(), Set.of(), true));
        }
        Set<Long> scope = principal instanceof Principal.Token token && !token.allNamespaces() ? token.namespaceIds() : null;
        if (user.superuser()) {
            return Future.succeededFuture(new RepositoryFilter(false, Set.copyOf(scope), Set.of(), true));
        }
        return database.read(c -> {
            // Independent of each other: sent together on the one connection.
            Future<Set<Long>> members = memberNamespaces(c, user.id());
            Future<Set<Long>> granted = grantedRepositories(c, "user_id", user.id(), scope);
            return Future.all(members, granted).map(both -> {
                Set<Long> namespaces = new HashSet<>();
                namespaces.add(user.namespaceId());
                namespaces.addAll(members.result());
                if (scope != null) {
                    namespaces.retainAll(scope);
                }
                return new RepositoryFilter(false, namespaces, granted.result(), true);
            });
        });
    }

    private static boolean isUnrestricted(Principal principal) {
        return !(principal instanceof Principal.Token token) || token.allNamespaces();
    }

    private static Future<Set<Action>> load(SqlConnection c, Principal principal, RepositoryName repository) {
        long userId = principal.user() == null || principal instanceof Principal.Robot ? -1 : principal.user().id();
        long robotId = principal instanceof Principal.Robot robot ? robot.id() : -1;
        return c.preparedQuery("""
                SELECT n.id, r.visibility, m.role, p.role, r.state
                FROM (SELECT $1::text AS namespace, $2::text AS repository) q
                LEFT JOIN namespaces n ON n.name = q.namespace
                LEFT JOIN repositories r ON r.name = q.repository
                LEFT JOIN namespace_members m ON m.namespace_id = n.id AND m.user_id = $3
                LEFT JOIN repository_permissions p ON p.repository_id = r.id AND (p.user_id = $3 OR p.robot_id = $4)""")
                .execute(Tuple.of(repository.namespace(), repository.value(), userId, robotId))
                .map(rows -> granted(principal, rows));
    }

    private static Set<Action> granted(Principal principal, RowSet<Row> rows) {
        Set<Action> granted = EnumSet.noneOf(Action.class);
        Set<Action> anyone = EnumSet.noneOf(Action.class);
        boolean readOnly = false;
        for (Row row : rows) {
            readOnly = "READ_ONLY".equals(row.getString(4));
            Long namespaceId = row.getLong(0);
            boolean namespaceExists = namespaceId != null;
            if ("public".equals(row.getString(1))) {
                anyone.add(Action.PULL);
            }
            if (row.getString(2) != null) {
                granted.addAll(Role.parse(row.getString(2)).actions());
            }
            if (row.getString(3) != null) {
                granted.addAll(Role.parse(row.getString(3)).actions());
            }
            Principal.User user = principal.user();
            if (user != null && !(principal instanceof Principal.Robot)) {
                if (user.superuser() || (namespaceExists && namespaceId == user.namespaceId())) {
                    granted.addAll(EnumSet.allOf(Action.class));
                }
                if (principal instanceof Principal.Token token) {
                    if (!token.allNamespaces() && !(namespaceExists && token.namespaceIds().contains(namespaceId))) {
                        granted.clear();
                    }
                    if (!token.readWrite()) {
                        granted.retainAll(EnumSet.of(Action.PULL));
                    }
                }
            }
        }
        granted.addAll(anyone);
        if (readOnly) {
            // A read-only repository refuses pushes and deletes to everyone, administrators included.
            granted.retainAll(Action.READ_ONLY);
        }
        return granted.isEmpty() ? Set.of() : EnumSet.copyOf(granted);
    }

    private static Future<Set<Long>> memberNamespaces(SqlConnection c, long userId) {
        return c.preparedQuery("SELECT namespace_id FROM namespace_members WHERE user_id = $1").execute(Tuple.of(userId)).map(rows -> {
            Set<Long> ids = new HashSet<>();
            for (Row row : rows) {
                ids.add(row.getLong(0));
            }
            return ids;
        });
    }

    private static Future<Set<Long>> grantedRepositories(SqlConnection c, String column, long id, Set<Long> namespaceScope) {
        return c.preparedQuery("SELECT p.repository_id, r.namespace_id FROM repository_permissions p "
                + "JOIN repositories r ON r.id = p.repository_id WHERE p." + column + " = $1").execute(Tuple.of(id)).map(rows -> {
                    Set<Long> ids = new HashSet<>();
                    for (Row row : rows) {
                        if (namespaceScope == null || namespaceScope.contains(row.getLong(1))) {
                            ids.add(row.getLong(0));
                        }
                    }
                    return ids;
                });
    }
}
