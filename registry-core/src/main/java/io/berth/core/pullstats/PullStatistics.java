package io.berth.core.pullstats;

import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Reference;
import io.berth.core.metadata.StoredManifest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Pull counts and last pull times of tags and manifests, counted on the request's path in memory
 * only (no database round trip, no lock) and added to PostgreSQL in batches by {@link #flush}, which
 * a periodic job calls on every node.
 *
 * <p>What counts: a manifest GET answered with its content. By tag, it is a pull of the tag and of
 * the manifest it served; by digest, of that manifest only (the tags naming it were not what the
 * client asked for, as in Harbor, whose tag pull time moves only on pulls by tag). An index and each
 * child manifest a client then fetches count for themselves.
 *
 * <p>A failed write (the database away) keeps its pulls in memory for the next one. A write whose
 * outcome the database never confirmed is repeated, so a connection lost at that very moment can
 * count its batch twice; pulls are never lost that way.
 */
@Singleton
public class PullStatistics {
    /** Keys per statement: bounds one statement's work and the rows it holds locked. */
    static final int BATCH = 5_000;

    /** What one flush wrote: how many manifest and tag pulls, over how many rows. */
    public record Flushed(long manifestPulls, long tagPulls, int rows) {
        static final Flushed NOTHING = new Flushed(0, 0, 0);
    }

    private final boolean enabled;
    private final PullRecords records;
    private final LongAdder counted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final PendingPulls<Long> manifests;
    private final PendingPulls<TagPull> tags;
    private final AtomicReference<Future<Flushed>> lastFlush = new AtomicReference<>(Future.succeededFuture(Flushed.NOTHING));

    @Inject
    public PullStatistics(PullSettings settings, PullRecords records) {
        this.enabled = settings.enabled();
        this.records = records;
        this.manifests = new PendingPulls<>(settings.maxPending(), dropped);
        this.tags = new PendingPulls<>(settings.maxPending(), dropped);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Counts one pull of {@code manifest}, found through {@code reference}; never blocks. */
    public void pulled(StoredManifest manifest, Reference reference) {
        if (!enabled) {
            return;
        }
        long now = System.currentTimeMillis();
        manifests.add(manifest.id(), 1, now);
        if (reference instanceof Reference.ByTag byTag) {
            tags.add(new TagPull(manifest.id(), byTag.tag().value()), 1, now);
        }
        counted.increment();
    }

    /**
     * Adds everything counted so far to the database. Flushes run one after the other: when one
     * completes, everything counted before it was asked for is written, or kept for the next one if
     * the database refused.
     */
    public Future<Flushed> flush() {
        Promise<Flushed> done = Promise.promise();
        lastFlush.getAndSet(done.future()).onComplete(previous -> Futures.attempt(this::write).onComplete(done));
        return done.future();
    }

    private Future<Flushed> write() {
        // Tags are taken only once the manifests are written: should that fail, they stay where they are.
        return writeAll(manifests, Long::compare, records::addToManifests).compose(manifestsWritten ->
                writeAll(tags, TagPull.ORDER, records::addToTags).map(tagsWritten -> {
                    writes.incrementAndGet();
                    written.addAndGet(manifestsWritten.pulls());
                    return new Flushed(manifestsWritten.pulls(), tagsWritten.pulls(), manifestsWritten.rows() + tagsWritten.rows());
                }));
    }

    private record Written(long pulls, int rows) {
    }

    /** Drains {@code pending} and writes it a batch at a time; on a failure, what was not written goes back. */
    private static <K> Future<Written> writeAll(PendingPulls<K> pending, Comparator<K> order,
            Function<List<PendingPulls.Drained<K>>, Future<Integer>> statement) {
        List<PendingPulls.Drained<K>> drained = pending.drain(order);
        List<List<PendingPulls.Drained<K>>> batches = new ArrayList<>();
        for (int from = 0; from < drained.size(); from += BATCH) {
            batches.add(drained.subList(from, Math.min(drained.size(), from + BATCH)));
        }
        long[] pulls = {0};
        int[] rows = {0};
        int[] done = {0};
        return Futures.sequentially(batches, batch -> statement.apply(batch).map(updated -> {
                    rows[0] += updated;
                    done[0] += batch.size();
                    batch.forEach(key -> pulls[0] += key.pulls());
                    return updated;
                }))
                .map(all -> new Written(pulls[0], rows[0]))
                .recover(failure -> {
                    pending.restore(drained.subList(done[0], drained.size()));
                    return Future.failedFuture(failure);
                });
    }

    /** Pulls counted since the start (by this node). */
    public long counted() {
        return counted.sum();
    }

    /** Pulls written to the database since the start (as manifest pulls: one per GET, as {@link #counted}). */
    public long written() {
        return written.get();
    }

    /** Successful flushes since the start. */
    public long flushes() {
        return writes.get();
    }

    /** Pulls not counted because the memory bound was reached. */
    public long dropped() {
        return dropped.sum();
    }

    /** Tags and manifests with pulls not written yet. */
    public int pending() {
        return manifests.keys() + tags.keys();
    }
}
