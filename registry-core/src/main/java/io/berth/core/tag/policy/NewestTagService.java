package io.berth.core.tag.policy;

import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Blocking;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.image.IndexPlatforms;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.RepositoryRecords;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The newest tag of a repository by a {@link TagPolicy}, or the tags it admits in its order, a page
 * at a time. Needs pull on the repository; one it may not pull is answered as absent. Ranking runs
 * on the worker pool: it is a few milliseconds of CPU on 10,000 tags, and a caller's regular
 * expression may spend its whole budget.
 */
@Singleton
public class NewestTagService {
    private final Database database;
    private final RepositoryRecords repositories;
    private final TagCandidates candidates;
    private final Permissions permissions;
    private final Blocking blocking;

    @Inject
    public NewestTagService(Database database, RepositoryRecords repositories, TagCandidates candidates, Permissions permissions,
            Blocking blocking) {
        this.database = database;
        this.repositories = repositories;
        this.candidates = candidates;
        this.permissions = permissions;
        this.blocking = blocking;
    }

    /** A page of the admitted tags, newest first, and whether more follow. */
    public record Page(List<RankedTag> tags, boolean hasAdditional) {
    }

    /** The newest admitted tag; 404 when none is. */
    public Future<RankedTag> newest(Principal actor, RepositoryName name, TagPolicy policy) {
        return ranked(actor, name, policy, 0, 1).map(page -> {
            if (page.tags().isEmpty()) {
                throw ManagementException.notFound("no tag of " + name + " matches the policy (strategy " + policy.strategy().wireName()
                        + ")");
            }
            return page.tags().getFirst();
        });
    }

    /** The admitted tags from {@code offset}, at most {@code limit} of them. */
    public Future<Page> ranked(Principal actor, RepositoryName name, TagPolicy policy, int offset, int limit) {
        return permissions.require(actor, name, Action.PULL).compose(allowed -> database.read(c -> repositories.findId(c, name)
                .map(found -> found.orElseThrow(() -> ManagementException.notFound("no repository " + name)))
                .compose(repositoryId -> candidates.live(c, repositoryId)
                        .compose(tags -> blocking.run(() -> policy.rank(tags)))
                        .compose(admitted -> {
                            List<TagCandidate> page = admitted.subList(Math.min(offset, admitted.size()),
                                    (int) Math.min((long) offset + limit, admitted.size()));
                            boolean more = (long) offset + limit < admitted.size();
                            return shown(c, repositoryId, page).map(shown -> new Page(shown, more));
                        }))));
    }

    /** The tags with their manifests; one whose manifest went in the meantime is left out. */
    private Future<List<RankedTag>> shown(SqlConnection c, long repositoryId, List<TagCandidate> tags) {
        List<Long> ids = tags.stream().map(TagCandidate::manifestId).distinct().toList();
        return candidates.manifests(c, repositoryId, ids).map(manifests -> tags.stream()
                .filter(tag -> manifests.containsKey(tag.manifestId()))
                .map(tag -> ranked(tag, manifests.get(tag.manifestId())))
                .toList());
    }

    private static RankedTag ranked(TagCandidate tag, TagCandidates.Manifest manifest) {
        return new RankedTag(tag.name(), manifest.digest(), tag.pushedAt(),
                manifest.indexPayload() == null ? null : IndexPlatforms.of(manifest.indexPayload()));
    }
}
