package io.berth.core.release;

import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a caller must be allowed to release: pull on every source and push on every target (to
 * delete a release: delete on every target it tagged). Refused items answer 403 naming each of
 * them by where the request gave it. A repository the caller may not pull is refused in the same
 * words whether it exists or not, so the answer tells nothing of repositories the caller cannot see;
 * only where the caller may read the target does the refusal say it is read-only.
 */
@Singleton
public class ReleasePermissions {
    private static final int LISTED = 20;

    private final Permissions permissions;

    @Inject
    public ReleasePermissions(Permissions permissions) {
        this.permissions = permissions;
    }

    /** One repository an item needs an action on, and where the request named it. */
    public record Need(String field, RepositoryName repository, Action action) {
    }

    /** Fails with 403 unless the caller may take every needed action. */
    public Future<Void> require(Principal actor, List<Need> needs) {
        Set<RepositoryName> repositories = new TreeSet<>();
        needs.forEach(need -> repositories.add(need.repository()));
        List<RepositoryName> distinct = List.copyOf(repositories);
        return Futures.together(distinct, repository -> permissions.actions(actor, repository)).compose(answers -> {
            Map<RepositoryName, Set<Action>> allowed = new LinkedHashMap<>();
            for (int i = 0; i < distinct.size(); i++) {
                allowed.put(distinct.get(i), answers.get(i));
            }
            List<Need> refused = needs.stream().filter(need -> !allowed.get(need.repository()).contains(need.action())).toList();
            if (refused.isEmpty()) {
                return Future.succeededFuture();
            }
            return Futures.sequentially(refused.stream().limit(LISTED).toList(), need -> refusal(actor, need, allowed.get(need.repository())))
                    .compose(reasons -> {
                        String more = refused.size() > LISTED ? "; and " + (refused.size() - LISTED) + " more" : "";
                        return Future.failedFuture(ManagementException.forbidden("not allowed to release " + refused.size()
                                + (refused.size() == 1 ? " item: " : " items: ") + String.join("; ", reasons) + more));
                    });
        });
    }

    private Future<String> refusal(Principal actor, Need need, Set<Action> allowed) {
        String prefix = need.field() + ": ";
        if (!allowed.contains(Action.PULL)) {
            return Future.succeededFuture(prefix + actor.name() + " may not " + need.action().scopeName() + " " + need.repository());
        }
        return permissions.refusal(actor, need.repository(), need.action()).map(refusal -> prefix + refusal.getMessage());
    }

    /** Pull on every source and push on every target of the items. */
    public static List<Need> toRelease(List<ReleaseItemSpec> items) {
        List<Need> needs = new ArrayList<>();
        for (ReleaseItemSpec item : items) {
            needs.add(new Need(item.field() + ".source", item.source().repository(), Action.PULL));
            needs.add(new Need(item.field() + ".target", item.target().repository(), Action.PUSH));
        }
        return needs;
    }

    /** Pull on the source and push on the target of every stored item given (those a retry copies again). */
    public static List<Need> toCopyAgain(List<ReleaseRecords.Item> items) {
        List<Need> needs = new ArrayList<>();
        for (ReleaseRecords.Item item : items) {
            needs.add(new Need("item " + item.position() + " source", RepositoryName.parse(item.sourceRepository()), Action.PULL));
            needs.add(new Need("item " + item.position() + " target", RepositoryName.parse(item.targetRepository()), Action.PUSH));
        }
        return needs;
    }

    /** Delete on the target of every stored item given (the tags a deleted release removes). */
    public static List<Need> toUntag(List<ReleaseRecords.Item> items) {
        return items.stream().map(item -> new Need("item " + item.position() + " target", RepositoryName.parse(item.targetRepository()),
                Action.DELETE)).toList();
    }
}
