package io.berth.core.autoprune;

import io.berth.core.concurrent.Futures;
import io.berth.core.gc.GcSettings;
import io.berth.core.immutability.ImmutabilityService;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides what a run deletes, repository by repository, policy by policy in order: each policy
 * judges the tags the policies before it left, so a plan is what carrying it out in that order
 * deletes. Tags an immutability rule protects are kept whatever a policy says. The plan reads and
 * never writes: a dry run is the plan, and a real run is the same plan carried out.
 */
@Singleton
public class PrunePlanner {
    private final Database database;
    private final AutoPrunePolicies policies;
    private final UntaggedCandidates untagged;
    private final ImmutabilityService immutability;
    private final GcSettings gc;

    @Inject
    public PrunePlanner(Database database, AutoPrunePolicies policies, UntaggedCandidates untagged, ImmutabilityService immutability,
            GcSettings gc) {
        this.database = database;
        this.policies = policies;
        this.untagged = untagged;
        this.immutability = immutability;
        this.gc = gc;
    }

    private record Repository(long id, String name, boolean readOnly) {
    }

    /** What the plan collects while it goes. */
    private static final class Draft {
        final List<PrunePlan.PlannedTag> tags = new ArrayList<>();
        final List<PrunePlan.PlannedManifest> manifests = new ArrayList<>();
        final List<PruneReport.TagKept> kept = new ArrayList<>();
        final List<PruneReport.RepositorySkipped> skipped = new ArrayList<>();
        int keptCount;
    }

    Future<PrunePlan> plan(RunScope scope) {
        Draft draft = new Draft();
        return database.read(c -> policies.of(c, scope.namespaceId(), scope.repositoryId(), false)).compose(all -> {
            List<AutoPrunePolicy> applied = scope.policy() == null ? all
                    : all.stream().filter(policy -> policy.uuid().equals(scope.policy())).toList();
            return repositories(scope).compose(repositories -> Futures.sequentially(repositories, repository -> {
                List<AutoPrunePolicy> applicable = applied.stream().filter(policy -> policy.appliesTo(repository.id())).toList();
                if (applicable.isEmpty()) {
                    return Future.succeededFuture();
                }
                if (repository.readOnly()) {
                    draft.skipped.add(new PruneReport.RepositorySkipped(repository.name(), "read-only: nothing in it changes"));
                    return Future.succeededFuture();
                }
                return planRepository(repository, applicable, draft);
            })).map(done -> new PrunePlan(applied, draft.tags, draft.manifests, draft.keptCount, draft.kept, draft.skipped));
        });
    }

    private Future<List<Repository>> repositories(RunScope scope) {
        String narrowed = scope.repositoryId() == null ? "" : " AND id = $2";
        Tuple parameters = scope.repositoryId() == null ? Tuple.of(scope.namespaceId()) : Tuple.of(scope.namespaceId(), scope.repositoryId());
        return database.read(c -> c.preparedQuery("SELECT id, name, state = 'READ_ONLY' FROM repositories WHERE namespace_id = $1"
                + narrowed + " ORDER BY name").execute(parameters).map(rows -> {
                    List<Repository> found = new ArrayList<>();
                    for (Row row : rows) {
                        found.add(new Repository(row.getLong(0), row.getString(1), row.getBoolean(2)));
                    }
                    return found;
                }));
    }

    /** The repository's live tags (expired ones are the expiry's to remove) and the database's time, one clock for every age. */
    private record Tags(List<TagRetention.TagState> tags, Instant now) {
    }

    private Future<Tags> tags(long repositoryId) {
        // A pull by digest (a pinned deployment) is a pull of every tag naming that manifest: the image is in use.
        return database.read(c -> c.preparedQuery("SELECT t.name, m.digest, t.updated_at, greatest(t.last_pulled_at, m.last_pulled_at), now()"
                        + " FROM tags t"
                        + " JOIN manifests m ON m.id = t.manifest_id"
                        + " WHERE t.repository_id = $1 AND (t.expires_at IS NULL OR t.expires_at > now()) ORDER BY t.name")
                .execute(Tuple.of(repositoryId))
                .compose(rows -> {
                    List<TagRetention.TagState> tags = new ArrayList<>();
                    for (Row row : rows) {
                        tags.add(new TagRetention.TagState(row.getString(0), row.getString(1), row.getOffsetDateTime(2).toInstant(),
                                row.getOffsetDateTime(3) == null ? null : row.getOffsetDateTime(3).toInstant()));
                    }
                    if (tags.isEmpty()) {
                        return c.query("SELECT now()").execute().map(now -> new Tags(tags, now.iterator().next().getOffsetDateTime(0).toInstant()));
                    }
                    return Future.succeededFuture(new Tags(tags, rows.iterator().next().getOffsetDateTime(4).toInstant()));
                }));
    }

    private Future<Void> planRepository(Repository repository, List<AutoPrunePolicy> applicable, Draft draft) {
        return tags(repository.id()).compose(state -> {
            Set<String> deleted = new LinkedHashSet<>();
            Set<Long> manifestsChosen = new HashSet<>();
            List<PruneReport.TagKept> kept = new ArrayList<>();
            return Futures.sequentially(applicable, policy -> policy.spec().method().prunesTags()
                            ? judgeTags(repository, policy, state, deleted, kept, draft)
                            : chooseManifests(repository, policy, deleted, manifestsChosen, draft))
                    .map(done -> {
                        // A tag one policy keeps and a later one deletes is reported deleted only.
                        for (PruneReport.TagKept tag : kept) {
                            if (!deleted.contains(tag.tag())) {
                                draft.keptCount++;
                                if (draft.kept.size() < PruneReport.KEPT_LISTED) {
                                    draft.kept.add(tag);
                                }
                            }
                        }
                        return null;
                    });
        });
    }

    private Future<Void> judgeTags(Repository repository, AutoPrunePolicy policy, Tags state, Set<String> deleted,
            List<PruneReport.TagKept> kept, Draft draft) {
        List<TagRetention.TagState> left = state.tags().stream().filter(tag -> !deleted.contains(tag.name())).toList();
        List<TagRetention.Verdict> verdicts = TagRetention.judge(policy.spec(), left, state.now());
        List<String> doomed = verdicts.stream().filter(TagRetention.Verdict::delete).map(verdict -> verdict.tag().name()).toList();
        String uuid = policy.uuid().toString();
        return immutability.protectingRules(repository.id(), doomed).map(protecting -> {
            for (TagRetention.Verdict verdict : verdicts) {
                TagRetention.TagState tag = verdict.tag();
                var rule = protecting.get(tag.name());
                if (verdict.delete() && rule == null) {
                    deleted.add(tag.name());
                    draft.tags.add(new PrunePlan.PlannedTag(repository.id(), repository.name(), tag.name(), tag.digest(), policy,
                            verdict.reason()));
                } else {
                    String reason = rule != null ? "protected by an immutability rule (" + rule.pattern() + ")" : verdict.reason();
                    kept.add(new PruneReport.TagKept(repository.name(), tag.name(), tag.digest(), uuid, reason));
                }
            }
            return null;
        });
    }

    private Future<Void> chooseManifests(Repository repository, AutoPrunePolicy policy, Set<String> deletedTags, Set<Long> chosen,
            Draft draft) {
        Duration age = policy.spec().age();
        // Nothing pushed within garbage collection's safety window is deleted: it may belong to a push still going on.
        Duration cutoff = age.compareTo(gc.safetyWindow()) < 0 ? gc.safetyWindow() : age;
        String reason = "untagged, and pushed more than " + policy.spec().value() + " ago";
        return database.read(c -> untagged.find(c, repository.id(), cutoff, deletedTags)).map(candidates -> {
            for (UntaggedCandidates.Candidate candidate : candidates) {
                if (chosen.add(candidate.id())) {
                    draft.manifests.add(new PrunePlan.PlannedManifest(repository.id(), repository.name(), candidate.id(), candidate.digest(),
                            policy, reason));
                }
            }
            return null;
        });
    }
}
