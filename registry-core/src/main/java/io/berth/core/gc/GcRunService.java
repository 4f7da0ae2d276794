package io.berth.core.gc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.account.AccountService;
import io.berth.core.account.Actors;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ModelSessions;
import io.berth.core.metadata.RepositoryRecords;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * On-demand garbage collection: runs for a namespace (by its administrators) or the whole registry
 * (by superusers), with or without deleting untagged manifests, for real or dry; orphan sweeps of
 * storage; size estimates. A run executes on the node that accepted it, as one chain of steps after
 * the request that started it has its answer, writing its progress to PostgreSQL so that any node
 * can report it.
 */
@Singleton
public class GcRunService {
    private static final Logger LOG = Logger.getLogger(GcRunService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);
    private static final int RUNS_LISTED = 50;
    /** How long shutting down waits for the runs it stops to be marked failed. */
    private static final long STOP_SECONDS = 10;

    private final Database database;
    private final ModelSessions models;
    private final GcRuns runs;
    private final GarbageCollector collector;
    private final GcEstimate estimate;
    private final OrphanSweep orphans;
    private final AccountService accounts;
    private final Permissions permissions;
    private final GcStatistics statistics;
    private final RepositoryRecords repositories;
    /** Runs executing on this node, failed at once when it shuts down. */
    private final Set<UUID> executing = ConcurrentHashMap.newKeySet();
    /** Set when the node shuts down: a run stops at its next step. */
    private volatile boolean stopping;

    @Inject
    public GcRunService(Database database, ModelSessions models, GcRuns runs, GarbageCollector collector, GcEstimate estimate,
            OrphanSweep orphans, AccountService accounts, Permissions permissions, GcStatistics statistics,
            RepositoryRecords repositories) {
        this.database = database;
        this.models = models;
        this.runs = runs;
        this.collector = collector;
        this.estimate = estimate;
        this.orphans = orphans;
        this.accounts = accounts;
        this.permissions = permissions;
        this.statistics = statistics;
        this.repositories = repositories;
    }

    /** Starts a collection of the namespace (null: the whole registry); 409 while an overlapping run goes on. */
    public Future<GcRunView> start(Principal actor, String namespace, boolean deleteUntagged, boolean dryRun) {
        return administeredScope(actor, namespace)
                .compose(scope -> start(scope, "collect", deleteUntagged, dryRun, actor.name()))
                .map(started -> started.orElseThrow(() -> ManagementException.conflict("a garbage collection of "
                        + (namespace == null ? "the registry" : namespace) + " is already running")));
    }

    /**
     * Starts a collection of the repository's namespace after a cleanup deleted images from it, unless
     * one is already running there (which covers it).
     */
    public Future<Optional<GcRunView>> startAfterCleanup(RepositoryName repository, String requestedBy) {
        return database.read(c -> repositories.namespaceOf(c, repository)).compose(namespace -> namespace.isEmpty()
                ? Future.succeededFuture(Optional.empty())
                : start(new GcScope(namespace.get()), "collect", false, false, requestedBy + " (cleanup)"));
    }

    /** Starts an orphan sweep of the storage (superusers only). */
    public Future<GcRunView> sweepOrphans(Principal actor, boolean dryRun) {
        return Futures.attempt(() -> {
            Actors.requireSuperuser(actor);
            return start(GcScope.REGISTRY, "orphans", false, dryRun, actor.name());
        }).map(started -> started.orElseThrow(() ->
                ManagementException.conflict("a garbage collection of the registry is already running")));
    }

    public Future<GcEstimate.Size> size(Principal actor, String namespace) {
        return administeredScope(actor, namespace).compose(estimate::size);
    }

    /** A run the caller may see (superusers: all; others: runs of namespaces they administer), else 404. */
    public Future<GcRunView> get(Principal actor, String id) {
        return Futures.attempt(() -> {
            Actors.requireUser(actor);
            UUID runId;
            try {
                runId = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw ManagementException.notFound("no garbage collection run " + id);
            }
            return models.read(session -> runs.find(session, runId));
        }).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ManagementException.notFound("no garbage collection run " + id));
            }
            GcScope scope = found.get().scope();
            Future<Boolean> visible = Actors.isSuperuser(actor) ? Future.succeededFuture(true)
                    : scope.registryWide() ? Future.succeededFuture(false)
                    : permissions.administers(actor, scope.namespaceId());
            return visible.map(may -> {
                if (!may) {
                    throw ManagementException.notFound("no garbage collection run " + id);
                }
                return found.get().view();
            });
        });
    }

    /** The newest runs of the namespace (null: every run of the registry). */
    public Future<List<GcRunView>> list(Principal actor, String namespace) {
        return administeredScope(actor, namespace).compose(scope -> models.read(session -> runs.list(session, scope, RUNS_LISTED)));
    }

    private Future<GcScope> administeredScope(Principal actor, String namespace) {
        if (namespace == null) {
            return Futures.attempt(() -> {
                Actors.requireSuperuser(actor);
                return Future.succeededFuture(GcScope.REGISTRY);
            });
        }
        return accounts.administeredNamespace(actor, namespace).map(administered -> new GcScope(administered.id()));
    }

    /**
     * Records the run and, once it is read back for the answer, sets it going. It goes on in the Vert.x
     * context of the request that started it (which Hibernate Reactive needs for its progress writes),
     * after that request's own sessions have closed; its steps follow one another, so no two sessions
     * ever share that context.
     */
    private Future<Optional<GcRunView>> start(GcScope scope, String kind, boolean deleteUntagged, boolean dryRun, String requestedBy) {
        UUID id = UUID.randomUUID();
        Future<Long> estimated = kind.equals("collect")
                ? estimate.collectableNow(scope).map(size -> bytesToFree(size, deleteUntagged))
                : Future.succeededFuture(null);
        return estimated
                .compose(bytes -> models.transaction(session -> runs.overlappingActive(session, scope).chain(overlapping -> overlapping
                        ? Uni.createFrom().item(false)
                        : runs.insert(session, id, kind, scope, deleteUntagged, dryRun, requestedBy, bytes).replaceWith(true))))
                .compose(started -> {
                    if (!started) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    LOG.infof("garbage collection run %s started: %s of %s%s%s by %s", id, kind,
                            scope.registryWide() ? "the registry" : "namespace " + scope.namespaceId(),
                            deleteUntagged ? ", deleting untagged manifests" : "", dryRun ? ", dry run" : "", requestedBy);
                    return models.read(session -> runs.find(session, id)).map(run -> {
                        execute(id, kind, scope, deleteUntagged, dryRun);
                        return Optional.of(run.orElseThrow().view());
                    });
                });
    }

    /** Runs the run to its end and records how it ended; never fails (a failure is the run's). */
    private void execute(UUID id, String kind, GcScope scope, boolean deleteUntagged, boolean dryRun) {
        GcProgress progress = collector.newProgress();
        ProgressWriter writer = new ProgressWriter(id, progress);
        executing.add(id);
        long started = System.nanoTime();
        Futures.attempt(() -> switch (kind) {
            case "orphans" -> sweep(dryRun, progress, writer);
            default -> dryRun ? dryRun(scope, deleteUntagged) : collect(scope, deleteUntagged, progress, writer);
        })
                .compose(report -> models.transaction(session -> runs.finish(session, id, progress, report, null)).onSuccess(done ->
                        LOG.infof("garbage collection run %s finished: %d manifests and %d blobs deleted, %d bytes freed", id,
                                progress.manifestsDeleted(), progress.blobsDeleted(), progress.bytesFreed())))
                .recover(failure -> {
                    LOG.errorf(failure, "garbage collection run %s failed", id);
                    String error = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
                    return models.transaction(session -> runs.finish(session, id, progress, null, error));
                })
                .onComplete(recorded -> {
                    if (recorded.failed()) {
                        LOG.warnf("run %s stays marked running until it is found stale: %s", id, recorded.cause().getMessage());
                    }
                    executing.remove(id);
                    statistics.runFinished(System.nanoTime() - started);
                });
    }

    private Future<ObjectNode> collect(GcScope scope, boolean deleteUntagged, GcProgress progress, ProgressWriter writer) {
        return collector.run(scope, deleteUntagged, progress, writer).map(done -> {
            ObjectNode report = JSON.createObjectNode();
            report.put("manifestsDeleted", progress.manifestsDeleted());
            report.put("blobsDeleted", progress.blobsDeleted());
            report.put("bytesFreed", progress.bytesFreed());
            return report;
        });
    }

    /** What a run would delete now, from metadata, deleting nothing. */
    private Future<ObjectNode> dryRun(GcScope scope, boolean deleteUntagged) {
        return estimate.collectableNow(scope).compose(now -> {
            Future<List<GcEstimate.UntaggedManifest>> manifests = deleteUntagged
                    ? estimate.untaggedManifests(scope, Integer.MAX_VALUE)
                    : Future.succeededFuture(List.of());
            return manifests.map(untagged -> {
                ObjectNode report = JSON.createObjectNode();
                report.put("bytesToFree", bytesToFree(now, deleteUntagged));
                report.put("blobsToDelete", now.blobsNonReferenced() + (deleteUntagged ? now.blobsUntagged() : 0));
                report.put("manifestsToDelete", untagged.size());
                ArrayNode listed = report.putArray("manifests");
                untagged.stream().limit(GcEstimate.LISTED).forEach(manifest ->
                        listed.addObject().put("repository", manifest.repository()).put("digest", manifest.digest()));
                return report;
            });
        });
    }

    private static long bytesToFree(GcEstimate.Size size, boolean deleteUntagged) {
        return deleteUntagged ? size.sizeSummary() : size.sizeNonReferenced();
    }

    private Future<ObjectNode> sweep(boolean dryRun, GcProgress progress, ProgressWriter writer) {
        ArrayNode listed = JSON.createArrayNode();
        long[] totals = new long[2];
        return orphans.sweep(dryRun, new OrphanSweep.Listener() {
            @Override
            public Future<Void> scanned(int objects) {
                progress.blobsReviewed(objects);
                return writer.step("scanning storage");
            }

            @Override
            public void found(OrphanSweep.Orphan orphan) {
                totals[0]++;
                totals[1] += orphan.size();
                if (orphan.deleted()) {
                    progress.blobDeleted(orphan.size());
                }
                if (listed.size() < OrphanSweep.LISTED) {
                    listed.addObject().put("digest", orphan.digest()).put("size", orphan.size())
                            .put("lastModified", orphan.lastModified().toString()).put("deleted", orphan.deleted());
                }
            }
        }).map(swept -> {
            ObjectNode report = JSON.createObjectNode();
            report.put("orphansFound", totals[0]);
            report.put("orphanBytes", totals[1]);
            report.put("orphansDeleted", progress.blobsDeleted());
            report.put("bytesFreed", progress.bytesFreed());
            report.set("orphans", listed);
            return report;
        });
    }

    /** Writes a run's progress at most every {@link #PROGRESS_INTERVAL}; ends the run once the node is shutting down. */
    private final class ProgressWriter implements GarbageCollector.Listener {
        private final UUID id;
        private final GcProgress progress;
        private long lastWrite;

        ProgressWriter(UUID id, GcProgress progress) {
            this.id = id;
            this.progress = progress;
        }

        @Override
        public Future<Void> step(String phase) {
            if (stopping) {
                return Future.failedFuture(new IllegalStateException("the node running it shut down"));
            }
            long now = System.nanoTime();
            if (now - lastWrite < PROGRESS_INTERVAL.toNanos()) {
                return Future.succeededFuture();
            }
            lastWrite = now;
            return models.transaction(session -> runs.progress(session, id, phase, progress));
        }
    }

    /**
     * Marks the runs still executing here as failed. In plain SQL: shutdown runs on a thread of its
     * own, where no Hibernate Reactive session can be opened. Waits a little for the writes, unless
     * called on a Vert.x thread (which must not wait).
     */
    @PreDestroy
    void stop() {
        stopping = true;
        List<Future<Void>> marked = executing.stream().map(id -> database.single(c -> runs.interrupted(c, id))
                .onFailure(e -> LOG.warnf("run %s stays marked running until it is found stale: %s", id, e.getMessage())))
                .toList();
        if (marked.isEmpty() || Context.isOnVertxThread()) {
            return;
        }
        try {
            Future.join(marked).toCompletionStage().toCompletableFuture().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Each failure is logged above; a run left running is found stale later.
        }
    }
}
