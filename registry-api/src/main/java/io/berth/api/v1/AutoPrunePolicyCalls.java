package io.berth.api.v1;

import io.berth.api.audit.UsageRecorder;
import io.berth.core.auth.Principal;
import io.berth.core.autoprune.AutoPrunePolicyService;
import io.berth.core.autoprune.AutoPrunePolicyView;
import io.berth.core.autoprune.PolicyOwner;
import io.berth.core.autoprune.PolicyRequest;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The policy operations every owner's endpoints share ({@link AutoPrunePolicyResource} for
 * organizations and users, {@link RepositoryAutoPrunePolicyResource} for repositories), given how
 * to find the owner from the caller; changes go to the usage log under Quay's kinds.
 */
@Singleton
public class AutoPrunePolicyCalls {
    public record PolicyList(List<AutoPrunePolicyView> policies) {
    }

    @Inject
    AutoPrunePolicyService policies;

    @Inject
    ApiCaller caller;

    @Inject
    UsageRecorder usage;

    CompletionStage<Response> create(Function<Principal, Future<PolicyOwner>> owner, PolicyRequest body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> owner.apply(actor).compose(found -> Futures
                .attempt(() -> policies.create(found, Bodies.required(body))).map(created -> {
                    logged(actor, ip, found, "create", created.uuid());
                    return Response.status(201).entity(created).build();
                }))).toCompletionStage();
    }

    CompletionStage<PolicyList> list(Function<Principal, Future<PolicyOwner>> owner) {
        return caller.principal().compose(owner::apply).compose(policies::list).map(PolicyList::new).toCompletionStage();
    }

    CompletionStage<AutoPrunePolicyView> get(Function<Principal, Future<PolicyOwner>> owner, String uuid) {
        return caller.principal().compose(owner::apply).compose(found -> policies.get(found, uuid)).toCompletionStage();
    }

    CompletionStage<AutoPrunePolicyView> update(Function<Principal, Future<PolicyOwner>> owner, String uuid, PolicyRequest body) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> owner.apply(actor).compose(found -> Futures
                .attempt(() -> policies.update(found, uuid, Bodies.required(body))).map(updated -> {
                    logged(actor, ip, found, "update", updated.uuid());
                    return updated;
                }))).toCompletionStage();
    }

    CompletionStage<Response> delete(Function<Principal, Future<PolicyOwner>> owner, String uuid) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> owner.apply(actor).compose(found -> policies.delete(found, uuid).map(deleted -> {
            logged(actor, ip, found, "delete", uuid);
            return Response.noContent().build();
        }))).toCompletionStage();
    }

    /**
     * Quay's log kinds: {@code create_namespace_autoprune_policy}, {@code delete_repository_autoprune_policy}, ...
     * Recorded with the caller and address read before the database work (the request's scope may be gone by then).
     */
    private void logged(Principal actor, String ip, PolicyOwner owner, String change, String uuid) {
        if (owner.isRepository()) {
            usage.repository(actor, ip, change + "_repository_autoprune_policy", RepositoryName.parse(owner.repository()),
                    UsageRecorder.details("policy_uuid", uuid));
        } else {
            usage.namespace(actor, ip, change + "_namespace_autoprune_policy", owner.namespace(), UsageRecorder.details("policy_uuid", uuid));
        }
    }
}
