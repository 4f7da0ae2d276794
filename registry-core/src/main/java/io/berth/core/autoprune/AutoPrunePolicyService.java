package io.berth.core.autoprune;

import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;

/** Creating, listing, reading, replacing and deleting an owner's policies ({@link PolicyOwners} says who may). */
@Singleton
public class AutoPrunePolicyService {
    private final Database database;
    private final AutoPrunePolicies policies;

    @Inject
    public AutoPrunePolicyService(Database database, AutoPrunePolicies policies) {
        this.database = database;
        this.policies = policies;
    }

    public Future<AutoPrunePolicyView> create(PolicyOwner owner, PolicyRequest request) {
        return Futures.attempt(() -> {
            PolicySpec spec = PolicySpec.of(request);
            return database.transaction(c -> policies.insert(c, owner.namespaceId(), owner.repositoryId(), spec))
                    .map(AutoPrunePolicy::view);
        });
    }

    public Future<List<AutoPrunePolicyView>> list(PolicyOwner owner) {
        return database.read(c -> owner.isRepository()
                ? policies.of(c, owner.namespaceId(), owner.repositoryId(), true)
                : policies.ofNamespaceOnly(c, owner.namespaceId()))
                .map(found -> found.stream().map(AutoPrunePolicy::view).toList());
    }

    public Future<AutoPrunePolicyView> get(PolicyOwner owner, String uuid) {
        return find(owner, uuid).map(AutoPrunePolicy::view);
    }

    /** Replaces what the policy says with the request (Quay's update: method and value again, patterns as given). */
    public Future<AutoPrunePolicyView> update(PolicyOwner owner, String uuid, PolicyRequest request) {
        return Futures.attempt(() -> {
            PolicySpec spec = PolicySpec.of(request);
            return find(owner, uuid).compose(found -> database.transaction(c -> policies.update(c, found.uuid(), spec)
                    .compose(updated -> policies.find(c, found.uuid()))))
                    .map(updated -> updated.orElseThrow(() -> missing(uuid)).view());
        });
    }

    public Future<Void> delete(PolicyOwner owner, String uuid) {
        return find(owner, uuid).compose(found -> database.transaction(c -> policies.delete(c, found.uuid()))).mapEmpty();
    }

    /** The owner's own policy with that uuid, else 404 (another owner's policy is not found here either). */
    public Future<AutoPrunePolicy> find(PolicyOwner owner, String uuid) {
        UUID id = parse(uuid);
        return database.read(c -> policies.find(c, id)).map(found -> found.filter(owner::owns).orElseThrow(() -> missing(uuid)));
    }

    private static UUID parse(String uuid) {
        try {
            return UUID.fromString(uuid);
        } catch (IllegalArgumentException notUuid) {
            throw missing(uuid);
        }
    }

    private static ManagementException missing(String uuid) {
        return ManagementException.notFound("no auto-prune policy " + uuid);
    }
}
