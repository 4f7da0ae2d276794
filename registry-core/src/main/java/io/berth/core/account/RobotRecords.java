package io.berth.core.account;

import io.berth.core.auth.Role;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Robot accounts and the repository roles granted to them, in the management model's session; like
 * {@link AccountRecords}, nothing read stays managed.
 */
@Singleton
public class RobotRecords {

    public record RobotRow(long id, String namespace, String shortName, String description, String metadataJson,
            Instant createdAt, Instant lastUsedAt) {
        public String fullName() {
            return namespace + "+" + shortName;
        }
    }

    public record Grant(String repository, Role role) {
    }

    private static final String WITH_NAMESPACE = "select r, n.name from Robot r join Namespace n on n.id = r.namespaceId ";

    /** Inserts a robot; empty when the namespace already has one of that name (after which the transaction can only fail). */
    public Uni<Optional<Long>> insert(Mutiny.Session s, long namespaceId, String shortName, String description, String metadataJson,
            byte[] tokenHash) {
        return find(s, namespaceId, shortName).chain(existing -> existing.isPresent() ? Uni.createFrom().item(Optional.<Long>empty())
                : UniqueViolations.emptyIfTaken(s, AccountRecords.inserted(s, new Robot(namespaceId, shortName, description,
                        metadataJson, tokenHash)).map(Robot::id)));
    }

    public Uni<Optional<RobotRow>> find(Mutiny.Session s, long namespaceId, String shortName) {
        return s.createSelectionQuery(WITH_NAMESPACE + "where r.namespaceId = :namespace and r.shortName = :shortName", Object[].class)
                .setParameter("namespace", namespaceId).setParameter("shortName", shortName).getSingleResultOrNull()
                .map(found -> Optional.ofNullable(found).map(row -> row(s, row)));
    }

    public Uni<List<RobotRow>> list(Mutiny.Session s, long namespaceId, int limit) {
        return s.createSelectionQuery(WITH_NAMESPACE + "where r.namespaceId = :namespace order by r.shortName", Object[].class)
                .setParameter("namespace", namespaceId).setMaxResults(limit).getResultList()
                .map(rows -> rows.stream().map(row -> row(s, row)).toList());
    }

    public Uni<Void> replaceToken(Mutiny.Session s, long robotId, byte[] tokenHash) {
        return s.createMutationQuery("update Robot set tokenHash = :hash where id = :id")
                .setParameter("hash", tokenHash).setParameter("id", robotId).executeUpdate().replaceWithVoid();
    }

    public Uni<Void> delete(Mutiny.Session s, long robotId) {
        return s.createMutationQuery("delete from Robot where id = :id").setParameter("id", robotId).executeUpdate().replaceWithVoid();
    }

    /** The robot's roles by repository name (repositories are the protocol's table, not mapped here). */
    public Uni<List<Grant>> grants(Mutiny.Session s, long robotId) {
        return s.<Object[]>createNativeQuery("SELECT r.name, p.role FROM repository_permissions p "
                + "JOIN repositories r ON r.id = p.repository_id WHERE p.robot_id = :robot ORDER BY r.name", Object[].class)
                .setParameter("robot", robotId).getResultList()
                .map(rows -> rows.stream().map(row -> new Grant((String) row[0], Role.parse((String) row[1]))).toList());
    }

    private static RobotRow row(Mutiny.Session s, Object[] robotAndNamespace) {
        return AccountRecords.detached(s, (Robot) robotAndNamespace[0]).row((String) robotAndNamespace[1]);
    }
}
