package io.berth.core.account;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.Principal;
import io.berth.core.auth.Role;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.berth.core.repository.RepositoryService;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may use one repository: roles granted to users and robots (Quay's repository permissions,
 * where a robot is named {@code <namespace>+<name>}), and whether anyone may pull it. Managed by
 * the repository's administrators. Blocking.
 */
@Singleton
public class RepositoryAccessService {
    private final Database database;
    private final RepositoryService repositoryService;
    private final AccessChanges changes;

    @Inject
    public RepositoryAccessService(Database database, RepositoryService repositoryService, AccessChanges changes) {
        this.database = database;
        this.repositoryService = repositoryService;
        this.changes = changes;
    }

    /** A role held on the repository by a user or a robot. */
    public record Grant(String name, Role role, boolean robot) {
    }

    public List<Grant> list(Principal actor, RepositoryName repository) {
        long id = repositoryService.administered(actor, repository);
        return database.read(c -> grants(c, id, null));
    }

    public Grant get(Principal actor, RepositoryName repository, String subject) {
        long id = repositoryService.administered(actor, repository);
        String name = normalise(subject);
        return database.read(c -> grants(c, id, name)).stream().findFirst()
                .orElseThrow(() -> ManagementException.notFound(name + " has no role on " + repository));
    }

    public Grant set(Principal actor, RepositoryName repository, String subject, Role role) {
        long id = repositoryService.administered(actor, repository);
        String name = normalise(subject);
        return changes.commit(c -> {
            Subject target = subject(c, repository, name);
            String column = target.robot() ? "robot_id" : "user_id";
            Statements.update(c, "INSERT INTO repository_permissions (repository_id, " + column + ", role) VALUES (?, ?, ?) "
                    + "ON CONFLICT (repository_id, " + column + ") WHERE " + column + " IS NOT NULL DO UPDATE SET role = EXCLUDED.role",
                    id, target.id(), role.wireName());
            return new Grant(name, role, target.robot());
        });
    }

    public void delete(Principal actor, RepositoryName repository, String subject) {
        long id = repositoryService.administered(actor, repository);
        String name = normalise(subject);
        changes.commit(c -> {
            Subject target = subject(c, repository, name);
            if (Statements.update(c, "DELETE FROM repository_permissions WHERE repository_id = ? AND "
                    + (target.robot() ? "robot_id" : "user_id") + " = ?", id, target.id()) == 0) {
                throw ManagementException.notFound(name + " has no role on " + repository);
            }
            return null;
        });
    }

    /** Makes the repository public (anyone may pull) or private. */
    public void changeVisibility(Principal actor, RepositoryName repository, String visibility) {
        if (!"public".equals(visibility) && !"private".equals(visibility)) {
            throw ManagementException.badRequest("visibility must be public or private");
        }
        long id = repositoryService.administered(actor, repository);
        changes.commit(c -> {
            Statements.update(c, "UPDATE repositories SET visibility = ?, updated_at = now() WHERE id = ?", visibility, id);
            return null;
        });
    }

    private record Subject(long id, boolean robot) {
    }

    private static String normalise(String subject) {
        return subject != null && subject.startsWith("robot$") ? subject.substring("robot$".length()) : subject;
    }

    private static Subject subject(Connection c, RepositoryName repository, String name) throws SQLException {
        int plus = name.indexOf('+');
        if (plus > 0) {
            if (!name.substring(0, plus).equals(repository.namespace())) {
                throw ManagementException.badRequest("robot " + name + " belongs to another namespace than " + repository);
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT r.id FROM robots r JOIN namespaces n ON n.id = r.namespace_id WHERE n.name = ? AND r.short_name = ?")) {
                select.setString(1, name.substring(0, plus));
                select.setString(2, name.substring(plus + 1));
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw ManagementException.notFound("no robot " + name);
                    }
                    return new Subject(rs.getLong(1), true);
                }
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM users WHERE username = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw ManagementException.notFound("no user " + name);
                }
                return new Subject(rs.getLong(1), false);
            }
        }
    }

    private static List<Grant> grants(Connection c, long repositoryId, String only) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                SELECT COALESCE(u.username, n.name || '+' || r.short_name), p.role, p.robot_id IS NOT NULL
                FROM repository_permissions p
                LEFT JOIN users u ON u.id = p.user_id
                LEFT JOIN robots r ON r.id = p.robot_id
                LEFT JOIN namespaces n ON n.id = r.namespace_id
                WHERE p.repository_id = ? ORDER BY 1""")) {
            select.setLong(1, repositoryId);
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (only == null || only.equals(rs.getString(1))) {
                        grants.add(new Grant(rs.getString(1), Role.parse(rs.getString(2)), rs.getBoolean(3)));
                    }
                }
            }
            return grants;
        }
    }
}
