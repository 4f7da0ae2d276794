package io.berth.core.gc;

import io.berth.core.concurrent.Futures;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * Collection as a whole: working through due reviews (what the background worker of every node
 * does), and an on-demand run that first deletes untagged manifests when asked, then makes the
 * scope's blob reviews due and works through them. One step at a time, each its own transaction;
 * nothing here blocks a thread.
 */
@Singleton
public class GarbageCollector {
    /** Deleting an untagged index makes its platforms untagged: at most this many rounds. */
    private static final int UNTAGGED_ROUNDS = 16;
    private static final int UNTAGGED_BATCH = 500;
    private static final int ABANDONED_BATCH = 100;

    /** Told what a collection is doing, after every step; the collection goes on when the answer completes. */
    public interface Listener {
        Listener NONE = phase -> Future.succeededFuture();

        Future<Void> step(String phase);
    }

    private final Database database;
    private final ManifestCollector manifests;
    private final BlobCollector blobs;
    private final BlobReviews blobReviews;
    private final GcEstimate estimate;
    private final GcStatistics statistics;

    @Inject
    public GarbageCollector(Database database, ManifestCollector manifests, BlobCollector blobs, BlobReviews blobReviews,
            GcEstimate estimate, GcStatistics statistics) {
        this.database = database;
        this.manifests = manifests;
        this.blobs = blobs;
        this.blobReviews = blobReviews;
        this.estimate = estimate;
        this.statistics = statistics;
    }

    /** A fresh progress record that also counts into this node's statistics. */
    public GcProgress newProgress() {
        return new GcProgress(statistics);
    }

    /**
     * Settles every review of the scope that is due, manifests first (deleting one queues its
     * blobs), then finishes deletions that a stopped worker left half done.
     */
    public Future<GcProgress> collectDue(GcScope scope, GcProgress progress, Listener listener) {
        return drain(() -> manifests.reviewNext(scope, progress), "manifests", listener)
                .compose(manifestsDone -> drain(() -> blobs.reviewNext(scope, progress), "blobs", listener))
                .compose(blobsDone -> blobs.finishAbandoned(progress, ABANDONED_BATCH))
                .compose(finished -> refreshQueueDepths())
                .map(refreshed -> progress);
    }

    /**
     * An on-demand run: deletes the scope's untagged manifests first when asked, makes the scope's
     * blob reviews due (except what the safety window protects), and settles them.
     */
    public Future<GcProgress> run(GcScope scope, boolean deleteUntagged, GcProgress progress, Listener listener) {
        Future<Void> untagged = deleteUntagged ? deleteUntagged(scope, progress, listener, 0) : Future.succeededFuture();
        return untagged
                .compose(deleted -> database.transaction(c -> blobReviews.expedite(c, scope)))
                .compose(expedited -> collectDue(scope, progress, listener));
    }

    /** Deletes the scope's untagged manifests, round after round while deleting some uncovers more. */
    private Future<Void> deleteUntagged(GcScope scope, GcProgress progress, Listener listener, int round) {
        if (round == UNTAGGED_ROUNDS) {
            return Future.succeededFuture();
        }
        return estimate.untaggedManifests(scope, UNTAGGED_BATCH)
                .compose(untagged -> Futures.sequentially(untagged, manifest -> manifests.review(manifest.id(), progress)
                        .compose(deleted -> listener.step("untagged manifests").map(stepped -> deleted))))
                .compose(deleted -> deleted.contains(true)
                        ? deleteUntagged(scope, progress, listener, round + 1)
                        : Future.succeededFuture());
    }

    private static Future<Void> drain(Supplier<Future<Boolean>> step, String phase, Listener listener) {
        return Repeat.whileTrue(() -> step.get().compose(settled -> settled
                ? listener.step(phase).map(stepped -> true)
                : Future.succeededFuture(false)));
    }

    /** Reads the queue depths into the statistics (for the metrics). */
    public Future<Void> refreshQueueDepths() {
        return database.read(c -> c.preparedQuery(
                        "SELECT (SELECT count(*) FROM gc_blob_reviews), (SELECT count(*) FROM gc_manifest_reviews)")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    statistics.queueDepths(row.getLong(0), row.getLong(1));
                    return null;
                }));
    }
}
