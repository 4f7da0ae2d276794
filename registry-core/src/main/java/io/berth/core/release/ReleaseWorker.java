package io.berth.core.release;

import io.berth.core.audit.UsageEvent;
import io.berth.core.audit.UsageLog;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Reference;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.MetadataUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Works releases through, on whichever node takes them: a release is leased to one node at a time
 * (taken with SKIP LOCKED), and every item it copies renews the lease in the item's own
 * transaction. A node that dies stops renewing; once the lease has lapsed any node takes the
 * release over and goes on with the items not done yet, since an item's row says whether its copy
 * and tag committed. A node that lost its lease (it stalled past it) finds that out at its next
 * item, whose transaction then rolls back: two nodes never both record an item.
 *
 * <p>The images a chart names are copied before the chart, and a chart whose images did not all
 * copy is not copied: a released chart never names an image the release lacks.
 */
@Singleton
public class ReleaseWorker {
    private static final Logger LOG = Logger.getLogger(ReleaseWorker.class);
    /** Long enough for any one item (its copy is a few statements); a dead node's releases wait this long at most. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** Items of one release copied at once (measured on 2 cores: 200 images took 18 s one at a time). */
    static final int LANES = 4;

    private final Database database;
    private final ReleaseRecords records;
    private final ReleaseCopy copy;
    private final CacheInvalidations invalidations;
    private final UsageLog usage;
    private final String owner = nodeName() + "/" + UUID.randomUUID();
    /** Set while this node works releases: one pass at a time, the next one asked for runs when it ends. */
    private final AtomicBoolean working = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean stopping;

    @Inject
    public ReleaseWorker(Database database, ReleaseRecords records, ReleaseCopy copy, CacheInvalidations invalidations, UsageLog usage) {
        this.database = database;
        this.records = records;
        this.copy = copy;
        this.invalidations = invalidations;
        this.usage = usage;
    }

    /** This node's name in the leases it holds. */
    public String owner() {
        return owner;
    }

    /**
     * Works every release that is due, one after another, unless a pass is already going on here (it
     * then makes one more pass when done, so nothing recorded meanwhile waits for the next poll).
     * Never fails: what went wrong is logged, and the release is taken again later.
     */
    public void wake() {
        wanted.set(true);
        if (stopping || !working.compareAndSet(false, true)) {
            return;
        }
        wanted.set(false);
        Futures.attempt(this::workAll)
                .onFailure(failure -> LOG.warnf("releases: pass failed, retried at the next: %s", cause(failure)))
                .onComplete(done -> {
                    working.set(false);
                    if (wanted.get()) {
                        wake();
                    }
                });
    }

    /** Stops taking releases; the one being copied stops at its next item and is let go for another node. */
    public void stop() {
        stopping = true;
    }

    private Future<Void> workAll() {
        return workNext().compose(worked -> worked && !stopping ? workAll() : Future.succeededFuture());
    }

    /** Takes one due release and works it to its end; false when none was due. */
    public Future<Boolean> workNext() {
        return database.single(c -> records.take(c, owner, LEASE)).compose(taken -> {
            if (taken.isEmpty()) {
                return Future.succeededFuture(false);
            }
            ReleaseRecords.Release release = taken.get();
            return work(release).map(true).recover(failure -> {
                LOG.warnf("release %s: stopped, another pass takes it over: %s", release.id(), cause(failure));
                return database.single(c -> records.letGo(c, release.id(), owner)).map(true);
            });
        });
    }

    private Future<Void> work(ReleaseRecords.Release release) {
        long started = System.nanoTime();
        return database.read(c -> records.items(c, release.id())).compose(items -> {
            Set<Integer> failed = ConcurrentHashMap.newKeySet();
            items.stream().filter(item -> ReleaseStatus.FAILED.equals(item.status())).forEach(item -> failed.add(item.position()));
            List<ReleaseRecords.Item> images = new ArrayList<>();
            List<ReleaseRecords.Item> charts = new ArrayList<>();
            for (ReleaseRecords.Item item : items) {
                if (!ReleaseStatus.SUCCESS.equals(item.status()) && !ReleaseStatus.FAILED.equals(item.status())) {
                    (item.kind() == ReleaseItemKind.HELM_CHART ? charts : images).add(item);
                }
            }
            Function<ReleaseRecords.Item, Future<Void>> step = item -> {
                boolean chartIncomplete = item.kind() == ReleaseItemKind.HELM_CHART && items.stream()
                        .anyMatch(image -> Integer.valueOf(item.position()).equals(image.chartPosition()) && failed.contains(image.position()));
                Future<Boolean> done = chartIncomplete
                        ? fail(release, item, "not copied: an image this chart names failed")
                        : copyItem(release, item);
                return done.map(copied -> {
                    if (!copied) {
                        failed.add(item.position());
                    }
                    return null;
                });
            };
            // Every image first, so that a chart goes only after all the images it names.
            return inLanes(images, step).compose(imagesDone -> inLanes(charts, step));
        }).compose(done -> database.transaction(c -> records.finish(c, release.id(), owner))).onSuccess(finished ->
                LOG.infof("release %s (%s) worked in %d ms", release.id(), release.versionName(), (System.nanoTime() - started) / 1_000_000));
    }

    /**
     * Runs {@code step} for every item, {@link #LANES} at a time, each lane on a connection of its
     * own taking the next item when its last one is done: an item's copy is a few round trips that
     * mostly wait for the database, so lanes overlap those waits. The first failure stops every lane
     * at its next item, and so does the node shutting down.
     */
    private Future<Void> inLanes(List<ReleaseRecords.Item> items, Function<ReleaseRecords.Item, Future<Void>> step) {
        Queue<ReleaseRecords.Item> queue = new ConcurrentLinkedQueue<>(items);
        AtomicBoolean aborted = new AtomicBoolean();
        List<Future<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < Math.min(LANES, items.size()); lane++) {
            lanes.add(lane(queue, step, aborted));
        }
        return Future.all(lanes).mapEmpty();
    }

    private Future<Void> lane(Queue<ReleaseRecords.Item> queue, Function<ReleaseRecords.Item, Future<Void>> step, AtomicBoolean aborted) {
        if (stopping || aborted.get()) {
            return Future.failedFuture(new IllegalStateException(stopping ? "the node is shutting down" : "another item failed the pass"));
        }
        ReleaseRecords.Item item = queue.poll();
        if (item == null) {
            return Future.succeededFuture();
        }
        return Futures.attempt(() -> step.apply(item))
                .onFailure(failure -> aborted.set(true))
                .compose(done -> lane(queue, step, aborted));
    }

    /** Copies the item and records it done, in one transaction; a refusal is recorded as the item's failure. Answers whether it copied. */
    private Future<Boolean> copyItem(ReleaseRecords.Release release, ReleaseRecords.Item item) {
        RepositoryName target = RepositoryName.parse(item.targetRepository());
        return database.transaction(c -> held(c, release)
                        .compose(leased -> copy.copy(c, item.kind(), RepositoryName.parse(item.sourceRepository()),
                                Reference.parse(item.sourceReference()), target, new Tag(item.targetTag())))
                        .compose(copied -> records.copied(c, release.id(), item.position(), copied.digest().toString()).map(copied)))
                .map(copied -> {
                    invalidations.apply(copied.stale());
                    usage.record(UsageEvent.inRepository("push_repo", release.createdBy(), null, target.value(), Map.of(
                            "tag", item.targetTag(), "manifest_digest", copied.digest().toString(), "release", release.id().toString(),
                            "source", item.source())));
                    return true;
                })
                .recover(failure -> {
                    String reason = reason(failure);
                    if (reason == null) {
                        return Future.failedFuture(failure);
                    }
                    return fail(release, item, reason);
                });
    }

    private Future<Boolean> fail(ReleaseRecords.Release release, ReleaseRecords.Item item, String reason) {
        return database.transaction(c -> held(c, release).compose(leased -> records.failed(c, release.id(), item.position(), reason)))
                .map(false);
    }

    /** Renews the lease; fails the transaction when this node no longer holds it. */
    private Future<Void> held(SqlConnection c, ReleaseRecords.Release release) {
        return records.renew(c, release.id(), owner, LEASE).compose(renewed -> renewed ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException("the lease on release " + release.id() + " went to another node")));
    }

    /** The item's failure in the caller's words; null for a failure of the database or the lease, after which the release is resumed. */
    private static String reason(Throwable failure) {
        if (failure instanceof ReleaseItemFailure || failure instanceof ManagementException) {
            return failure.getMessage();
        }
        if (failure instanceof RegistryException refused) {
            return refused.detail();
        }
        if (failure instanceof MetadataUnavailableException || failure instanceof IllegalStateException) {
            return null;
        }
        LOG.errorf(failure, "release item could not be copied");
        return "internal error while copying";
    }

    private static String cause(Throwable failure) {
        return failure instanceof MetadataUnavailableException unavailable ? unavailable.rootCause() : failure.getMessage();
    }

    private static String nodeName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception unknown) {
            return "node";
        }
    }
}
