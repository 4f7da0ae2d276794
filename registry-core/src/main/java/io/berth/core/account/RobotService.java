package io.berth.core.account;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.Principal;
import io.berth.core.auth.Secrets;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Robot accounts {@code <namespace>+<name>}: credentials for machines (CI, clusters) that hold only
 * the repository roles granted to them. Their token is shown when created or regenerated and then
 * kept only as a hash. Managed by whoever administers the namespace. Blocking.
 */
@Singleton
public class RobotService {
    private final Database database;
    private final RobotRecords records;
    private final AccountService accounts;
    private final AccessChanges changes;

    @Inject
    public RobotService(Database database, RobotRecords records, AccountService accounts, AccessChanges changes) {
        this.database = database;
        this.records = records;
        this.accounts = accounts;
        this.changes = changes;
    }

    /** A robot, with its token when it was just made (null otherwise). */
    public record RobotWithToken(RobotRecords.RobotRow robot, String token) {
    }

    public RobotWithToken create(Principal actor, String namespace, String shortName, String description, String metadataJson) {
        Names.requireRobotShortName(shortName);
        Names.requireNote(description, "description");
        Names.requireNote(metadataJson, "unstructured_metadata");
        AccountRecords.NamespaceRow owner = accounts.administeredNamespace(actor, namespace);
        String token = Secrets.generate();
        RobotRecords.RobotRow robot = changes.commit(c -> {
            records.insert(c, owner.id(), shortName, description == null ? "" : description,
                    metadataJson == null ? "{}" : metadataJson, Secrets.hash(token))
                    .orElseThrow(() -> ManagementException.conflict("robot " + namespace + "+" + shortName + " already exists"));
            return records.find(c, owner.id(), shortName).orElseThrow();
        });
        return new RobotWithToken(robot, token);
    }

    public RobotRecords.RobotRow get(Principal actor, String namespace, String shortName) {
        AccountRecords.NamespaceRow owner = accounts.administeredNamespace(actor, namespace);
        return database.read(c -> records.find(c, owner.id(), shortName)).orElseThrow(() -> missing(namespace, shortName));
    }

    public List<RobotRecords.RobotRow> list(Principal actor, String namespace, int limit) {
        AccountRecords.NamespaceRow owner = accounts.administeredNamespace(actor, namespace);
        return database.read(c -> records.list(c, owner.id(), limit));
    }

    public void delete(Principal actor, String namespace, String shortName) {
        AccountRecords.NamespaceRow owner = accounts.administeredNamespace(actor, namespace);
        changes.commit(c -> {
            RobotRecords.RobotRow robot = records.find(c, owner.id(), shortName).orElseThrow(() -> missing(namespace, shortName));
            records.delete(c, robot.id());
            return null;
        });
    }

    /** Replaces the robot's token: the old one stops working at once, on every node. */
    public RobotWithToken regenerate(Principal actor, String namespace, String shortName) {
        AccountRecords.NamespaceRow owner = accounts.administeredNamespace(actor, namespace);
        String token = Secrets.generate();
        RobotRecords.RobotRow robot = changes.commit(c -> {
            RobotRecords.RobotRow found = records.find(c, owner.id(), shortName).orElseThrow(() -> missing(namespace, shortName));
            records.replaceToken(c, found.id(), Secrets.hash(token));
            return found;
        });
        return new RobotWithToken(robot, token);
    }

    public List<RobotRecords.Grant> permissions(Principal actor, String namespace, String shortName) {
        RobotRecords.RobotRow robot = get(actor, namespace, shortName);
        return database.read(c -> records.grants(c, robot.id()));
    }

    private static ManagementException missing(String namespace, String shortName) {
        return ManagementException.notFound("no robot " + namespace + "+" + shortName);
    }
}
