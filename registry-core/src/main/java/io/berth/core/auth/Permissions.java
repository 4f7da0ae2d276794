package io.berth.core.auth;

import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    /** The actions {@code principal} may take on {@code repository} (blocking). */
    public Set<Action> actions(Principal principal, RepositoryName repository) {
        Set<Action> cached = cached(principal, repository);
        if (cached != null) {
            return cached;
        }
        return caches.permissions(principal, repository, () -> database.read(c -> load(c, principal, repository)));
    }

    /**
     * Requires {@code action} on the repository for a management operation: a repository the
     * principal may not even pull is answered as absent (404), a missing right with 403.
     */
    public void require(Principal principal, RepositoryName repository, Action action) {
        Set<Action> allowed = actions(principal, repository);
        if (!allowed.contains(Action.PULL) && !allowed.contains(Action.ADMIN)) {
            throw ManagementException.notFound("no repository " + repository);
        }
        if (!allowed.contains(action)) {
            throw refusal(principal, repository, action);
        }
    }

    /** Why {@code principal} may not {@code action} the repository: it is read-only, or the right is not theirs. */
    public ManagementException refusal(Principal principal, RepositoryName repository, Action action) {
        if (!Action.READ_ONLY.contains(action) && readOnly(repository)) {
            return ManagementException.forbidden("repository " + repository + " is read-only: nothing in it changes until its state is"
                    + " NORMAL again");
        }
        return ManagementException.forbidden(principal.name() + " may not " + action.scopeName() + " in " + repository);
    }

    /** Whether the repository's state is {@code READ_ONLY}. Blocking. */
    public boolean readOnly(RepositoryName repository) {
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM repositories WHERE name = ? AND state = 'READ_ONLY'")) {
                select.setString(1, repository.value());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Whether {@code principal} administers the namespace: its owner, an admin member or an administrator. */
    public boolean administers(Principal principal, long namespaceId) {
        Principal.User user = principal.user();
        if (user == null || principal instanceof Principal.Token token && !token.readWrite()) {
            return false;
        }
        if (principal instanceof Principal.Token token && !token.allNamespaces() && !token.namespaceIds().contains(namespaceId)) {
            return false;
        }
        if (user.superuser() || user.namespaceId() == namespaceId) {
            return true;
        }
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT 1 FROM namespace_members WHERE namespace_id = ? AND user_id = ? AND role = 'admin'")) {
                select.setLong(1, namespaceId);
                select.setLong(2, user.id());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The repositories {@code principal} may see in listings. */
    public RepositoryFilter visibleTo(Principal principal) {
        Principal.User user = principal.user();
        if (user != null && user.superuser() && isUnrestricted(principal)) {
            return RepositoryFilter.EVERYTHING;
        }
        return database.read(c -> {
            Set<Long> namespaces = new HashSet<>();
            Set<Long> repositories = new HashSet<>();
            if (principal instanceof Principal.Robot robot) {
                repositories.addAll(grantedRepositories(c, "robot_id", robot.id(), null));
            } else if (user != null) {
                Set<Long> scope = principal instanceof Principal.Token token && !token.allNamespaces() ? token.namespaceIds() : null;
                if (user.superuser()) {
                    namespaces.addAll(scope);
                } else {
                    namespaces.add(user.namespaceId());
                    namespaces.addAll(memberNamespaces(c, user.id()));
                    repositories.addAll(grantedRepositories(c, "user_id", user.id(), scope));
                    if (scope != null) {
                        namespaces.retainAll(scope);
                    }
                }
            }
            return new RepositoryFilter(false, namespaces, repositories, true);
        });
    }

    private static boolean isUnrestricted(Principal principal) {
        return !(principal instanceof Principal.Token token) || token.allNamespaces();
    }

    private Set<Action> load(Connection c, Principal principal, RepositoryName repository) throws SQLException {
        long userId = principal.user() == null ? -1 : principal.user().id();
        long robotId = principal instanceof Principal.Robot robot ? robot.id() : -1;
        try (PreparedStatement select = c.prepareStatement("""
                SELECT n.id, r.visibility, m.role, p.role, r.state
                FROM (SELECT ?::text AS namespace, ?::text AS repository) q
                LEFT JOIN namespaces n ON n.name = q.namespace
                LEFT JOIN repositories r ON r.name = q.repository
                LEFT JOIN namespace_members m ON m.namespace_id = n.id AND m.user_id = ?
                LEFT JOIN repository_permissions p ON p.repository_id = r.id AND (p.user_id = ? OR p.robot_id = ?)""")) {
            select.setString(1, repository.namespace());
            select.setString(2, repository.value());
            select.setLong(3, principal instanceof Principal.Robot ? -1 : userId);
            select.setLong(4, principal instanceof Principal.Robot ? -1 : userId);
            select.setLong(5, robotId);
            try (ResultSet rs = select.executeQuery()) {
                Set<Action> granted = EnumSet.noneOf(Action.class);
                Set<Action> anyone = EnumSet.noneOf(Action.class);
                boolean readOnly = false;
                while (rs.next()) {
                    readOnly = "READ_ONLY".equals(rs.getString(5));
                    long namespaceId = rs.getLong(1);
                    boolean namespaceExists = !rs.wasNull();
                    if ("public".equals(rs.getString(2))) {
                        anyone.add(Action.PULL);
                    }
                    if (rs.getString(3) != null) {
                        granted.addAll(Role.parse(rs.getString(3)).actions());
                    }
                    if (rs.getString(4) != null) {
                        granted.addAll(Role.parse(rs.getString(4)).actions());
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
        }
    }

    private static Set<Long> memberNamespaces(Connection c, long userId) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT namespace_id FROM namespace_members WHERE user_id = ?")) {
            select.setLong(1, userId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static Set<Long> grantedRepositories(Connection c, String column, long id, Set<Long> namespaceScope) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT p.repository_id, r.namespace_id FROM repository_permissions p "
                + "JOIN repositories r ON r.id = p.repository_id WHERE p." + column + " = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (namespaceScope == null || namespaceScope.contains(rs.getLong(2))) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
        }
        return ids;
    }
}
