package io.berth.core.account;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.Principal;
import io.berth.core.auth.Role;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.ModelSessions;
import io.berth.core.repository.RepositoryService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Who may use one repository: roles granted to users and robots (Quay's repository permissions,
 * where a robot is named {@code <namespace>+<name>}), and whether anyone may pull it. Managed by
 * the repository's administrators.
 */
@Singleton
public class RepositoryAccessService {
    /** Every role on the repository, by holder: a user's name, or a robot's {@code <namespace>+<name>}. */
    private static final String GRANTS = """
            select coalesce(u.username, n.name || '+' || r.shortName) as holder, p.role,
                   case when p.robotId is null then false else true end
            from RepositoryPermission p
            left join UserAccount u on u.id = p.userId
            left join Robot r on r.id = p.robotId
            left join Namespace n on n.id = r.namespaceId
            where p.repositoryId = :repository order by holder""";

    private final ModelSessions sessions;
    private final RepositoryService repositoryService;
    private final AccessChanges changes;

    @Inject
    public RepositoryAccessService(ModelSessions sessions, RepositoryService repositoryService, AccessChanges changes) {
        this.sessions = sessions;
        this.repositoryService = repositoryService;
        this.changes = changes;
    }

    /** A role held on the repository by a user or a robot. */
    public record Grant(String name, Role role, boolean robot) {
    }

    public Future<List<Grant>> list(Principal actor, RepositoryName repository) {
        return repositoryService.administered(actor, repository).compose(id -> sessions.read(s -> grants(s, id, null)));
    }

    public Future<Grant> get(Principal actor, RepositoryName repository, String subject) {
        return repositoryService.administered(actor, repository).compose(id -> {
            String name = normalise(subject);
            return sessions.read(s -> grants(s, id, name)).map(grants -> grants.stream().findFirst()
                    .orElseThrow(() -> ManagementException.notFound(name + " has no role on " + repository)));
        });
    }

    public Future<Grant> set(Principal actor, RepositoryName repository, String subject, Role role) {
        return repositoryService.administered(actor, repository).compose(id -> {
            String name = normalise(subject);
            return changes.commitModel(s -> subject(s, repository, name).chain(target -> grant(s, id, target, role)
                    .map(ignored -> new Grant(name, role, target.robot()))));
        });
    }

    public Future<Void> delete(Principal actor, RepositoryName repository, String subject) {
        return repositoryService.administered(actor, repository).compose(id -> {
            String name = normalise(subject);
            return changes.commitModel(s -> subject(s, repository, name).chain(target -> s.createMutationQuery(
                            "delete from RepositoryPermission where repositoryId = :repository and "
                                    + (target.robot() ? "robotId" : "userId") + " = :holder")
                    .setParameter("repository", id).setParameter("holder", target.id()).executeUpdate())
                    .invoke(deleted -> {
                        if (deleted == 0) {
                            throw ManagementException.notFound(name + " has no role on " + repository);
                        }
                    }).replaceWithVoid());
        });
    }

    /** Makes the repository public (anyone may pull) or private. */
    public Future<Void> changeVisibility(Principal actor, RepositoryName repository, String visibility) {
        if (!"public".equals(visibility) && !"private".equals(visibility)) {
            return Future.failedFuture(ManagementException.badRequest("visibility must be public or private"));
        }
        // updated_at from the database's clock, as every change of a repository sets it.
        return repositoryService.administered(actor, repository).compose(id -> changes.commitModel(s -> s.createMutationQuery(
                        "update RepositorySettings s set s.visibility = :visibility, s.updatedAt = current_instant where s.id = :id")
                .setParameter("visibility", visibility).setParameter("id", id).executeUpdate().replaceWithVoid()));
    }

    private record Subject(long id, boolean robot) {
    }

    private static String normalise(String subject) {
        return subject != null && subject.startsWith("robot$") ? subject.substring("robot$".length()) : subject;
    }

    private static Uni<Subject> subject(Mutiny.Session s, RepositoryName repository, String name) {
        int plus = name.indexOf('+');
        if (plus > 0) {
            if (!name.substring(0, plus).equals(repository.namespace())) {
                return Uni.createFrom().failure(
                        ManagementException.badRequest("robot " + name + " belongs to another namespace than " + repository));
            }
            return s.createSelectionQuery("select r.id from Robot r join Namespace n on n.id = r.namespaceId "
                            + "where n.name = :namespace and r.shortName = :shortName", Long.class)
                    .setParameter("namespace", name.substring(0, plus)).setParameter("shortName", name.substring(plus + 1))
                    .getSingleResultOrNull().map(id -> {
                        if (id == null) {
                            throw ManagementException.notFound("no robot " + name);
                        }
                        return new Subject(id, true);
                    });
        }
        return s.createSelectionQuery("select u.id from UserAccount u where u.username = :username", Long.class)
                .setParameter("username", name).getSingleResultOrNull().map(id -> {
                    if (id == null) {
                        throw ManagementException.notFound("no user " + name);
                    }
                    return new Subject(id, false);
                });
    }

    /**
     * Gives the holder the role on the repository, whether or not they hold one: PostgreSQL's upsert,
     * so that two administrators granting at once both succeed (a session has no upsert of its own).
     */
    private static Uni<Integer> grant(Mutiny.Session s, long repositoryId, Subject target, Role role) {
        String column = target.robot() ? "robot_id" : "user_id";
        return s.createNativeQuery("INSERT INTO repository_permissions (repository_id, " + column + ", role) "
                        + "VALUES (:repository, :holder, :role) "
                        + "ON CONFLICT (repository_id, " + column + ") WHERE " + column + " IS NOT NULL DO UPDATE SET role = EXCLUDED.role")
                .setParameter("repository", repositoryId).setParameter("holder", target.id()).setParameter("role", role.wireName())
                .executeUpdate();
    }

    private static Uni<List<Grant>> grants(Mutiny.Session s, long repositoryId, String only) {
        return s.createSelectionQuery(GRANTS, Object[].class).setParameter("repository", repositoryId).getResultList()
                .map(rows -> rows.stream().filter(row -> only == null || only.equals(row[0]))
                        .map(row -> new Grant((String) row[0], Role.parse((String) row[1]), (Boolean) row[2])).toList());
    }
}
