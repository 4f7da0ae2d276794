package io.berth.core.gc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.account.AccountService;
import io.berth.core.account.Actors;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.RepositoryRecords;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * On-demand garbage collection: runs for a namespace (by its administrators) or the whole registry
 * (by superusers), with or without deleting untagged manifests, for real or dry; orphan sweeps of
 * storage; size estimates. A run executes on the node that accepted it, on a thread of its own,
 * writing its progress to PostgreSQL so that any node can report it.
 */
@Singleton
public class GcRunService {
    private static final Logger LOG = Logger.getLogger(GcRunService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);
    private static final int RUNS_LISTED = 50;

    private final Database database;
    private final GcRuns runs;
    private final GarbageCollector collector;
    private final GcEstimate estimate;
    private final OrphanSweep orphans;
    private final AccountService accounts;
    private final Permissions permissions;
    private final GcStatistics statistics;
    private final RepositoryRecords repositories;
    private final AtomicInteger threads = new AtomicInteger();
    /** Runs executing on this node, failed at once when it shuts down. */
    private final Set<UUID> executing = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "berth-gc-run-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public GcRunService(Database database, GcRuns runs, GarbageCollector collector, GcEstimate estimate, OrphanSweep orphans,
            AccountService accounts, Permissions permissions, GcStatistics statistics, RepositoryRecords repositories) {
        this.database = database;
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
    public GcRunView start(Principal actor, String namespace, boolean deleteUntagged, boolean dryRun) {
        GcScope scope = administeredScope(actor, namespace);
        return start(scope, "collect", deleteUntagged, dryRun, actor.name())
                .orElseThrow(() -> ManagementException.conflict("a garbage collection of "
                        + (namespace == null ? "the registry" : namespace) + " is already running"));
    }

    /**
     * Starts a collection of the repository's namespace after a cleanup deleted images from it, unless
     * one is already running there (which covers it).
     */
    public Optional<GcRunView> startAfterCleanup(RepositoryName repository, String requestedBy) {
        Optional<Long> namespace = database.read(c -> repositories.namespaceOf(c, repository));
        return namespace.flatMap(id -> start(new GcScope(id), "collect", false, false, requestedBy + " (cleanup)"));
    }

    /** Starts an orphan sweep of the storage (superusers only). */
    public GcRunView sweepOrphans(Principal actor, boolean dryRun) {
        Actors.requireSuperuser(actor);
        return start(GcScope.REGISTRY, "orphans", false, dryRun, actor.name())
                .orElseThrow(() -> ManagementException.conflict("a garbage collection of the registry is already running"));
    }

    public GcEstimate.Size size(Principal actor, String namespace) {
        return estimate.size(administeredScope(actor, namespace));
    }

    /** A run the caller may see (superusers: all; others: runs of namespaces they administer), else 404. */
    public GcRunView get(Principal actor, String id) {
        Actors.requireUser(actor);
        UUID runId;
        try {
            runId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ManagementException.notFound("no garbage collection run " + id);
        }
        return database.read(c -> {
            Optional<GcScope> scope = runs.scopeOf(c, runId);
            boolean visible = scope.isPresent() && (Actors.isSuperuser(actor)
                    || !scope.get().registryWide() && permissions.administers(actor, scope.get().namespaceId()));
            if (!visible) {
                throw ManagementException.notFound("no garbage collection run " + id);
            }
            return runs.find(c, runId).orElseThrow();
        });
    }

    /** The newest runs of the namespace (null: every run of the registry). */
    public List<GcRunView> list(Principal actor, String namespace) {
        GcScope scope = administeredScope(actor, namespace);
        return database.read(c -> runs.list(c, scope, RUNS_LISTED));
    }

    private GcScope administeredScope(Principal actor, String namespace) {
        if (namespace == null) {
            Actors.requireSuperuser(actor);
            return GcScope.REGISTRY;
        }
        return new GcScope(accounts.administeredNamespace(actor, namespace).id());
    }

    private Optional<GcRunView> start(GcScope scope, String kind, boolean deleteUntagged, boolean dryRun, String requestedBy) {
        UUID id = UUID.randomUUID();
        Long estimated = kind.equals("collect") ? bytesToFree(estimate.collectableNow(scope), deleteUntagged) : null;
        boolean started = database.transaction(c -> {
            if (runs.overlappingActive(c, scope)) {
                return false;
            }
            runs.insert(c, id, kind, scope, deleteUntagged, dryRun, requestedBy, estimated);
            return true;
        });
        if (!started) {
            return Optional.empty();
        }
        LOG.infof("garbage collection run %s started: %s of %s%s%s by %s", id, kind,
                scope.registryWide() ? "the registry" : "namespace " + scope.namespaceId(),
                deleteUntagged ? ", deleting untagged manifests" : "", dryRun ? ", dry run" : "", requestedBy);
        executor.execute(() -> execute(id, kind, scope, deleteUntagged, dryRun));
        return Optional.of(database.read(c -> runs.find(c, id).orElseThrow()));
    }

    private void execute(UUID id, String kind, GcScope scope, boolean deleteUntagged, boolean dryRun) {
        GcProgress progress = collector.newProgress();
        ProgressWriter writer = new ProgressWriter(id, progress);
        executing.add(id);
        long started = System.nanoTime();
        try {
            ObjectNode report = switch (kind) {
                case "orphans" -> sweep(dryRun, progress, writer);
                default -> dryRun ? dryRun(scope, deleteUntagged) : collect(scope, deleteUntagged, progress, writer);
            };
            database.transaction(c -> {
                runs.finish(c, id, progress, report, null);
                return null;
            });
            LOG.infof("garbage collection run %s finished: %d manifests and %d blobs deleted, %d bytes freed", id,
                    progress.manifestsDeleted(), progress.blobsDeleted(), progress.bytesFreed());
        } catch (RuntimeException e) {
            LOG.errorf(e, "garbage collection run %s failed", id);
            database.transaction(c -> {
                runs.finish(c, id, progress, null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                return null;
            });
        } finally {
            executing.remove(id);
            statistics.runFinished(System.nanoTime() - started);
        }
    }

    private ObjectNode collect(GcScope scope, boolean deleteUntagged, GcProgress progress, ProgressWriter writer) {
        collector.run(scope, deleteUntagged, progress, writer);
        ObjectNode report = JSON.createObjectNode();
        report.put("manifestsDeleted", progress.manifestsDeleted());
        report.put("blobsDeleted", progress.blobsDeleted());
        report.put("bytesFreed", progress.bytesFreed());
        return report;
    }

    /** What a run would delete now, from metadata, deleting nothing. */
    private ObjectNode dryRun(GcScope scope, boolean deleteUntagged) {
        GcEstimate.Size now = estimate.collectableNow(scope);
        ObjectNode report = JSON.createObjectNode();
        report.put("bytesToFree", bytesToFree(now, deleteUntagged));
        report.put("blobsToDelete", now.blobsNonReferenced() + (deleteUntagged ? now.blobsUntagged() : 0));
        List<GcEstimate.UntaggedManifest> untagged = deleteUntagged ? estimate.untaggedManifests(scope, Integer.MAX_VALUE) : List.of();
        report.put("manifestsToDelete", untagged.size());
        ArrayNode listed = report.putArray("manifests");
        untagged.stream().limit(GcEstimate.LISTED).forEach(manifest ->
                listed.addObject().put("repository", manifest.repository()).put("digest", manifest.digest()));
        return report;
    }

    private static long bytesToFree(GcEstimate.Size size, boolean deleteUntagged) {
        return deleteUntagged ? size.sizeSummary() : size.sizeNonReferenced();
    }

    private ObjectNode sweep(boolean dryRun, GcProgress progress, ProgressWriter writer) {
        ObjectNode report = JSON.createObjectNode();
        ArrayNode listed = JSON.createArrayNode();
        long[] totals = new long[4];
        orphans.sweep(dryRun, new OrphanSweep.Listener() {
            @Override
            public void scanned(int objects) {
                progress.blobsReviewed(objects);
                writer.step("scanning storage");
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
        });
        report.put("orphansFound", totals[0]);
        report.put("orphanBytes", totals[1]);
        report.put("orphansDeleted", progress.blobsDeleted());
        report.put("bytesFreed", progress.bytesFreed());
        report.set("orphans", listed);
        return report;
    }

    /** Writes a run's progress at most every {@link #PROGRESS_INTERVAL}. */
    private final class ProgressWriter implements GarbageCollector.Listener {
        private final UUID id;
        private final GcProgress progress;
        private long lastWrite;

        ProgressWriter(UUID id, GcProgress progress) {
            this.id = id;
            this.progress = progress;
        }

        @Override
        public void step(String phase) {
            long now = System.nanoTime();
            if (now - lastWrite < PROGRESS_INTERVAL.toNanos()) {
                return;
            }
            lastWrite = now;
            database.transaction(c -> {
                runs.progress(c, id, phase, progress);
                return null;
            });
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        for (UUID id : executing) {
            try {
                database.transaction(c -> {
                    runs.interrupted(c, id);
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warnf("run %s stays marked running until it is found stale: %s", id, e.getMessage());
            }
        }
    }
}
