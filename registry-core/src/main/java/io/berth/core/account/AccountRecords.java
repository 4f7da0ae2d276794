package io.berth.core.account;

import io.berth.core.auth.Role;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Namespaces, users and memberships, in the management model's session. Each method's statements
 * have run when its {@code Uni} completes, and nothing it reads stays managed by the session: a later
 * read in the same transaction sees the database as it is then, as plain SQL would.
 */
@Singleton
public class AccountRecords {

    public record NamespaceRow(long id, String name, String kind, String email, Instant createdAt) {
        public boolean isOrganization() {
            return "organization".equals(kind);
        }
    }

    public record UserRow(long id, String username, String email, boolean superuser, long namespaceId, Instant createdAt) {
    }

    public record MemberRow(String username, Role role, Instant since) {
    }

    public Uni<Optional<NamespaceRow>> namespace(Mutiny.Session s, String name) {
        return s.createSelectionQuery("from Namespace where name = :name", Namespace.class).setParameter("name", name)
                .getSingleResultOrNull().map(found -> Optional.ofNullable(found).map(namespace -> detached(s, namespace).row()));
    }

    /** Inserts a namespace; empty when the name is taken (after which the transaction can only fail). */
    public Uni<Optional<Long>> insertNamespace(Mutiny.Session s, String name, String kind, String email) {
        return namespace(s, name).chain(existing -> existing.isPresent() ? Uni.createFrom().item(Optional.<Long>empty())
                : UniqueViolations.emptyIfTaken(s, inserted(s, new Namespace(name, kind, email)).map(Namespace::id)));
    }

    /** Whether the namespace holds a repository (repositories are the protocol's table, not mapped here). */
    public Uni<Boolean> hasRepositories(Mutiny.Session s, long namespaceId) {
        return s.createNativeQuery("SELECT 1 FROM repositories WHERE namespace_id = :namespace LIMIT 1")
                .setParameter("namespace", namespaceId).getResultList().map(rows -> !rows.isEmpty());
    }

    public Uni<Void> deleteNamespace(Mutiny.Session s, long namespaceId) {
        return s.createMutationQuery("delete from Namespace where id = :id").setParameter("id", namespaceId).executeUpdate()
                .replaceWithVoid();
    }

    public Uni<Void> updateNamespaceEmail(Mutiny.Session s, long namespaceId, String email) {
        return s.createMutationQuery("update Namespace set email = :email where id = :id")
                .setParameter("email", email).setParameter("id", namespaceId).executeUpdate().replaceWithVoid();
    }

    public Uni<Long> insertUser(Mutiny.Session s, String username, String email, String passwordHash, boolean superuser,
            long namespaceId) {
        return inserted(s, new UserAccount(username, email, passwordHash, superuser, namespaceId)).map(UserAccount::id);
    }

    public Uni<Optional<UserRow>> user(Mutiny.Session s, String username) {
        return s.createSelectionQuery("from UserAccount where username = :username", UserAccount.class)
                .setParameter("username", username).getSingleResultOrNull()
                .map(found -> Optional.ofNullable(found).map(user -> detached(s, user).row()));
    }

    public Uni<List<UserRow>> users(Mutiny.Session s, int limit, int offset) {
        return s.createSelectionQuery("from UserAccount order by username", UserAccount.class)
                .setFirstResult(offset).setMaxResults(limit).getResultList()
                .map(users -> users.stream().map(user -> detached(s, user).row()).toList());
    }

    public Uni<Void> updatePassword(Mutiny.Session s, long userId, String passwordHash) {
        return s.createMutationQuery("update UserAccount set passwordHash = :hash where id = :id")
                .setParameter("hash", passwordHash).setParameter("id", userId).executeUpdate().replaceWithVoid();
    }

    public Uni<Void> deleteUser(Mutiny.Session s, long userId) {
        return s.createMutationQuery("delete from UserAccount where id = :id").setParameter("id", userId).executeUpdate()
                .replaceWithVoid();
    }

    /**
     * Gives the user the role in the namespace, whether or not they hold one: PostgreSQL's upsert, so
     * that two administrators setting it at once both succeed (a session has no upsert of its own).
     */
    public Uni<Void> setMember(Mutiny.Session s, long namespaceId, long userId, Role role) {
        return s.createNativeQuery("INSERT INTO namespace_members (namespace_id, user_id, role) VALUES (:namespace, :user, :role) "
                + "ON CONFLICT (namespace_id, user_id) DO UPDATE SET role = EXCLUDED.role")
                .setParameter("namespace", namespaceId).setParameter("user", userId).setParameter("role", role.wireName())
                .executeUpdate().replaceWithVoid();
    }

    public Uni<Boolean> removeMember(Mutiny.Session s, long namespaceId, long userId) {
        return s.createMutationQuery("delete from Membership where namespaceId = :namespace and userId = :user")
                .setParameter("namespace", namespaceId).setParameter("user", userId).executeUpdate().map(deleted -> deleted > 0);
    }

    public Uni<List<MemberRow>> members(Mutiny.Session s, long namespaceId) {
        return s.createSelectionQuery("select u.username, m.role, m.createdAt from Membership m "
                + "join UserAccount u on u.id = m.userId where m.namespaceId = :namespace order by u.username", Object[].class)
                .setParameter("namespace", namespaceId).getResultList()
                .map(rows -> rows.stream().map(row -> new MemberRow((String) row[0], Role.parse((String) row[1]), (Instant) row[2]))
                        .toList());
    }

    /** Inserts {@code entity} and lets go of it, so that reads see what the database filled in (its creation time). */
    static <T> Uni<T> inserted(Mutiny.Session s, T entity) {
        return s.persist(entity).chain(s::flush).map(ignored -> detached(s, entity));
    }

    static <T> T detached(Mutiny.Session s, T entity) {
        s.detach(entity);
        return entity;
    }
}
