package io.berth.core.account;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.Principal;
import io.berth.core.auth.Secrets;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.ModelSessions;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Robot accounts {@code <namespace>+<name>}: credentials for machines (CI, clusters) that hold only
 * the repository roles granted to them. Their token is shown when created or regenerated and then
 * kept only as a hash. Managed by whoever administers the namespace.
 */
@Singleton
public class RobotService {
    private final ModelSessions sessions;
    private final RobotRecords records;
    private final AccountService accounts;
    private final AccessChanges changes;

    @Inject
    public RobotService(ModelSessions sessions, RobotRecords records, AccountService accounts, AccessChanges changes) {
        this.sessions = sessions;
        this.records = records;
        this.accounts = accounts;
        this.changes = changes;
    }

    /** A robot, with its token when it was just made (null otherwise). */
    public record RobotWithToken(RobotRecords.RobotRow robot, String token) {
    }

    public Future<RobotWithToken> create(Principal actor, String namespace, String shortName, String description, String metadataJson) {
        return Futures.attempt(() -> {
            Names.requireRobotShortName(shortName);
            Names.requireNote(description, "description");
            Names.requireNote(metadataJson, "unstructured_metadata");
            return accounts.administeredNamespace(actor, namespace);
        }).compose(owner -> {
            String token = Secrets.generate();
            return changes.commitModel(s -> records.insert(s, owner.id(), shortName, description == null ? "" : description,
                            metadataJson == null ? "{}" : metadataJson, Secrets.hash(token))
                    .invoke(id -> id.orElseThrow(() -> ManagementException.conflict("robot " + namespace + "+" + shortName + " already exists")))
                    .chain(() -> existing(s, owner, namespace, shortName)))
                    .map(robot -> new RobotWithToken(robot, token));
        });
    }

    public Future<RobotRecords.RobotRow> get(Principal actor, String namespace, String shortName) {
        return accounts.administeredNamespace(actor, namespace)
                .compose(owner -> sessions.read(s -> existing(s, owner, namespace, shortName)));
    }

    public Future<List<RobotRecords.RobotRow>> list(Principal actor, String namespace, int limit) {
        return accounts.administeredNamespace(actor, namespace).compose(owner -> sessions.read(s -> records.list(s, owner.id(), limit)));
    }

    public Future<Void> delete(Principal actor, String namespace, String shortName) {
        return accounts.administeredNamespace(actor, namespace).compose(owner -> changes.commitModel(s ->
                existing(s, owner, namespace, shortName).chain(robot -> records.delete(s, robot.id()))));
    }

    /** Replaces the robot's token: the old one stops working at once, on every node. */
    public Future<RobotWithToken> regenerate(Principal actor, String namespace, String shortName) {
        return accounts.administeredNamespace(actor, namespace).compose(owner -> {
            String token = Secrets.generate();
            return changes.commitModel(s -> existing(s, owner, namespace, shortName)
                            .call(found -> records.replaceToken(s, found.id(), Secrets.hash(token))))
                    .map(robot -> new RobotWithToken(robot, token));
        });
    }

    public Future<List<RobotRecords.Grant>> permissions(Principal actor, String namespace, String shortName) {
        return get(actor, namespace, shortName).compose(robot -> sessions.read(s -> records.grants(s, robot.id())));
    }

    private Uni<RobotRecords.RobotRow> existing(Mutiny.Session s, AccountRecords.NamespaceRow owner, String namespace, String shortName) {
        return records.find(s, owner.id(), shortName).map(robot -> robot.orElseThrow(() -> missing(namespace, shortName)));
    }

    private static ManagementException missing(String namespace, String shortName) {
        return ManagementException.notFound("no robot " + namespace + "+" + shortName);
    }
}
