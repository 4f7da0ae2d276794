package io.berth.core.autoprune;

import io.berth.core.audit.UsageEvent;
import io.berth.core.audit.UsageLog;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcProgress;
import io.berth.core.gc.ManifestCollector;
import io.berth.core.immutability.ImmutabilityService;
import io.berth.core.immutability.ImmutableTagException;
import io.berth.core.metadata.Database;
import io.berth.core.tag.TagService;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs policies: on demand (one policy, a repository's, or a whole namespace's; for real or dry)
 * and on the schedule, one run per namespace at a time across all nodes ({@link AutoPruneRuns}).
 * A run plans first ({@link PrunePlanner}); a dry run reports the plan, a real run carries it out
 * and reports what it did. Tags go through {@link TagService} as any delete (history, caches,
 * garbage collection's review of what they pointed at); untagged manifests through garbage
 * collection's own review, which deletes a manifest only when nothing keeps it. Every deletion is
 * in the usage log.
 */
@Singleton
public class AutoPruner {
    private static final Logger LOG = Logger.getLogger(AutoPruner.class);
    private static final int RUNS_LISTED = 50;

    private final Database database;
    private final AutoPruneRuns runs;
    private final PrunePlanner planner;
    private final AutoPrunePolicyService policies;
    private final TagService tags;
    private final ManifestCollector manifests;
    private final GarbageCollector collector;
    private final ImmutabilityService immutability;
    private final UsageLog usage;
    private final AutoPruneSettings settings;

    @Inject
    public AutoPruner(Database database, AutoPruneRuns runs, PrunePlanner planner, AutoPrunePolicyService policies, TagService tags,
            ManifestCollector manifests, GarbageCollector collector, ImmutabilityService immutability, UsageLog usage,
            AutoPruneSettings settings) {
        this.database = database;
        this.runs = runs;
        this.planner = planner;
        this.policies = policies;
        this.tags = tags;
        this.manifests = manifests;
        this.collector = collector;
        this.immutability = immutability;
        this.usage = usage;
        this.settings = settings;
    }

    /** How a run was started: {@code schedule} or {@code api}, by whom (null for the schedule) and from where. */
    public record Starter(String trigger, String performer, String ip) {
        static final Starter SCHEDULE = new Starter("schedule", null, null);

        public static Starter api(String performer, String ip) {
            return new Starter("api", performer, ip);
        }
    }

    /**
     * Runs the owner's policies now (all that apply to it, or only {@code policyUuid}) and answers
     * the ended run with its report; 409 while another run of the namespace goes on.
     */
    public Future<AutoPruneRunView> runNow(PolicyOwner owner, String policyUuid, boolean dryRun, Starter starter) {
        Future<RunScope> scope = policyUuid == null ? Future.succeededFuture(RunScope.of(owner))
                : policies.find(owner, policyUuid).map(policy -> RunScope.of(owner, policy));
        return scope.compose(covered -> execute(covered, dryRun, starter)).compose(started -> {
            if (started.isEmpty()) {
                throw ManagementException.conflict("an auto-prune run of " + owner.namespace()
                        + " is going on; start this one when it has ended");
            }
            return find(owner, started.get());
        });
    }

    public Future<List<AutoPruneRunView>> runs(PolicyOwner owner) {
        return database.read(c -> runs.list(c, owner.namespaceId(), owner.repository(), RUNS_LISTED));
    }

    public Future<AutoPruneRunView> run(PolicyOwner owner, String id) {
        UUID runId;
        try {
            runId = UUID.fromString(id);
        } catch (IllegalArgumentException notUuid) {
            return Future.failedFuture(ManagementException.notFound("no auto-prune run " + id));
        }
        return find(owner, runId);
    }

    private Future<AutoPruneRunView> find(PolicyOwner owner, UUID id) {
        return database.read(c -> runs.find(c, owner.namespaceId(), id)).map(found -> found
                .filter(run -> !owner.isRepository() || owner.repository().equals(run.repository()))
                .orElseThrow(() -> ManagementException.notFound("no auto-prune run " + id)));
    }

    /**
     * Runs the policies of every namespace that is due, one namespace after another, skipping those
     * another node is pruning; answers how many this node pruned.
     */
    public Future<Integer> scheduledPass() {
        if (!settings.enabled()) {
            return Future.succeededFuture(0);
        }
        return database.read(c -> runs.due(c, settings.interval())).compose(due -> Futures.sequentially(due, namespace ->
                        execute(new RunScope(namespace.namespaceId(), namespace.namespace(), null, null, null), false, Starter.SCHEDULE)))
                .map(ran -> (int) ran.stream().filter(Optional::isPresent).count());
    }

    /**
     * Records the run, plans it, carries it out unless dry, and records how it ended; empty when
     * another run of the namespace goes on. A failure of the run is the run's (recorded, not thrown).
     */
    private Future<Optional<UUID>> execute(RunScope scope, boolean dryRun, Starter starter) {
        return database.transaction(c -> runs.start(c, scope, starter.trigger(), dryRun, starter.performer(), settings.staleAfter()))
                .compose(started -> {
                    if (started.isEmpty()) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    UUID id = started.get();
                    return Futures.attempt(() -> planner.plan(scope))
                            .compose(plan -> dryRun ? Future.succeededFuture(plan.report(true)) : carryOut(id, plan, starter))
                            .compose(report -> {
                                if (!report.dryRun() && (!report.tagsDeleted().isEmpty() || !report.manifestsDeleted().isEmpty())) {
                                    LOG.infof("auto-prune run %s of %s: %d tags and %d manifests deleted", id, scope.namespace(),
                                            report.tagsDeleted().size(), report.manifestsDeleted().size());
                                }
                                return database.single(c -> runs.succeeded(c, id, report));
                            })
                            .recover(failure -> {
                                LOG.warnf("auto-prune run %s of %s failed: %s", id, scope.namespace(), failure.getMessage());
                                return database.single(c -> runs.failed(c, id, message(failure)));
                            })
                            .map(Optional.of(id));
                });
    }

    /** Deletes what the plan chose, tags first (which may leave manifests untagged), and reports what went and what stayed. */
    private Future<PruneReport> carryOut(UUID run, PrunePlan plan, Starter starter) {
        List<PruneReport.TagDeleted> tagsDeleted = new ArrayList<>();
        List<PruneReport.TagKept> tagsKept = new ArrayList<>(plan.kept());
        int[] keptLate = {0};
        return database.single(c -> runs.alive(c, run))
                .compose(alive -> Futures.sequentially(plan.tags(), planned -> deleteTag(run, planned, starter).map(kept -> {
                    if (kept.isEmpty()) {
                        tagsDeleted.add(planned.deleted());
                    } else {
                        keptLate[0]++;
                        tagsKept.add(kept.get());
                    }
                    return null;
                })))
                .compose(tagsDone -> database.single(c -> runs.alive(c, run)))
                .compose(alive -> deleteManifests(run, plan.manifests(), starter, collector.newProgress(), new ArrayList<>()))
                .map(left -> {
                    List<PruneReport.ManifestDeleted> manifestsDeleted = new ArrayList<>(plan.manifests().stream()
                            .filter(planned -> !left.contains(planned)).map(PrunePlan.PlannedManifest::deleted).toList());
                    List<PruneReport.ManifestKept> manifestsKept = left.stream().map(planned -> new PruneReport.ManifestKept(
                            planned.repository(), planned.digest(), planned.policy().uuid().toString(),
                            "kept when its turn came: tagged, listed by an index or a referrer's subject since the run looked")).toList();
                    return new PruneReport(false, plan.policyIds(), tagsDeleted, plan.keptCount() + keptLate[0], tagsKept,
                            manifestsDeleted, manifestsKept, plan.skipped());
                });
    }

    /** Deletes a planned tag; answers why it was kept instead (protected or changed since the plan), or empty when it went. */
    private Future<Optional<PruneReport.TagKept>> deleteTag(UUID run, PrunePlan.PlannedTag planned, Starter starter) {
        String policy = planned.policy().uuid().toString();
        return immutability.protectingRules(planned.repositoryId(), List.of(planned.tag())).compose(protecting -> {
            if (!protecting.isEmpty()) {
                return Future.succeededFuture(Optional.of(new PruneReport.TagKept(planned.repository(), planned.tag(), planned.digest(),
                        policy, "protected by an immutability rule (" + protecting.get(planned.tag()).pattern() + ")")));
            }
            return tags.deleteIfStillAt(RepositoryName.parse(planned.repository()), planned.tag(), Digest.parse(planned.digest()))
                    .map(went -> {
                        if (!went) {
                            return Optional.of(new PruneReport.TagKept(planned.repository(), planned.tag(), planned.digest(), policy,
                                    "moved or deleted since the run looked at it"));
                        }
                        usage.record(UsageEvent.inRepository("autoprune_tag_delete", starter.performer(), starter.ip(), planned.repository(),
                                details("tag", planned.tag(), "manifest_digest", planned.digest(), "policy", policy,
                                        "method", planned.policy().spec().method().wireName(), "reason", planned.reason(), "run", run.toString())));
                        return Optional.<PruneReport.TagKept>empty();
                    });
        }).recover(failure -> failure instanceof ImmutableTagException || failure instanceof ManagementException
                ? Future.succeededFuture(Optional.of(new PruneReport.TagKept(planned.repository(), planned.tag(), planned.digest(), policy,
                        failure.getMessage())))
                : Future.failedFuture(failure));
    }

    /**
     * Passes over the chosen manifests until nothing more goes: an index or a referrer deleted in one
     * pass frees what it referenced for the next. Answers those left, which something still keeps.
     */
    private Future<List<PrunePlan.PlannedManifest>> deleteManifests(UUID run, List<PrunePlan.PlannedManifest> remaining, Starter starter,
            GcProgress progress, List<PrunePlan.PlannedManifest> deleted) {
        List<PrunePlan.PlannedManifest> left = new ArrayList<>();
        int before = deleted.size();
        return Futures.sequentially(remaining, planned -> manifests.review(planned.manifestId(), progress).map(went -> {
            if (went) {
                deleted.add(planned);
                usage.record(UsageEvent.inRepository("autoprune_manifest_delete", starter.performer(), starter.ip(), planned.repository(),
                        details("manifest_digest", planned.digest(), "policy", planned.policy().uuid().toString(),
                                "method", planned.policy().spec().method().wireName(), "reason", planned.reason(), "run", run.toString())));
            } else {
                left.add(planned);
            }
            return null;
        })).compose(pass -> !left.isEmpty() && deleted.size() > before
                ? database.single(c -> runs.alive(c, run)).compose(alive -> deleteManifests(run, left, starter, progress, deleted))
                : Future.succeededFuture(left));
    }

    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            details.put(String.valueOf(pairs[i]), pairs[i + 1]);
        }
        return details;
    }

    private static String message(Throwable failure) {
        return failure.getMessage() == null ? "the run failed" : failure.getMessage();
    }
}
