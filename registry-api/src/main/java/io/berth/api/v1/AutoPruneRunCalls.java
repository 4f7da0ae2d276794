package io.berth.api.v1;

import io.berth.core.auth.Principal;
import io.berth.core.autoprune.AutoPruneRunView;
import io.berth.core.autoprune.AutoPruner;
import io.berth.core.autoprune.PolicyOwner;
import io.berth.core.concurrent.Futures;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** The run operations every owner's endpoints share, given how to find the owner from the caller. */
@Singleton
public class AutoPruneRunCalls {
    public record RunList(List<AutoPruneRunView> runs) {
    }

    @Inject
    AutoPruner pruner;

    @Inject
    ApiCaller caller;

    CompletionStage<AutoPruneRunView> run(Function<Principal, Future<PolicyOwner>> owner, String uuid, String dryRun) {
        String ip = caller.ip();
        return caller.principal().compose(actor -> Futures.attempt(() -> {
            boolean dry = QueryParameters.bool("dry_run", dryRun, false);
            return owner.apply(actor).compose(found -> pruner.runNow(found, uuid, dry, AutoPruner.Starter.api(actor.name(), ip)));
        })).toCompletionStage();
    }

    CompletionStage<RunList> runs(Function<Principal, Future<PolicyOwner>> owner) {
        return caller.principal().compose(owner::apply).compose(pruner::runs).map(RunList::new).toCompletionStage();
    }

    CompletionStage<AutoPruneRunView> runById(Function<Principal, Future<PolicyOwner>> owner, String id) {
        return caller.principal().compose(owner::apply).compose(found -> pruner.run(found, id)).toCompletionStage();
    }
}
