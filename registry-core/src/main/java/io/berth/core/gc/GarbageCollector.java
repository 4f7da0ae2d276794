package io.berth.core.gc;

import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Collection as a whole: working through due reviews (what the background worker of every node
 * does), and an on-demand run that first deletes untagged manifests when asked, then makes the
 * scope's blob reviews due and works through them. Blocking: call from a dedicated thread.
 */
@Singleton
public class GarbageCollector {
    /** Deleting an untagged index makes its platforms untagged: at most this many rounds. */
    private static final int UNTAGGED_ROUNDS = 16;
    private static final int UNTAGGED_BATCH = 500;
    private static final int ABANDONED_BATCH = 100;

    /** Told what a collection is doing, after every step. */
    public interface Listener {
        Listener NONE = phase -> {
        };

        void step(String phase);
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
    public GcProgress collectDue(GcScope scope, GcProgress progress, Listener listener) {
        drain(() -> manifests.reviewNext(scope, progress), "manifests", listener);
        drain(() -> blobs.reviewNext(scope, progress), "blobs", listener);
        blobs.finishAbandoned(progress, ABANDONED_BATCH);
        refreshQueueDepths();
        return progress;
    }

    /**
     * An on-demand run: deletes the scope's untagged manifests first when asked, makes the scope's
     * blob reviews due (except what the safety window protects), and settles them.
     */
    public GcProgress run(GcScope scope, boolean deleteUntagged, GcProgress progress, Listener listener) {
        if (deleteUntagged) {
            deleteUntagged(scope, progress, listener);
        }
        database.transaction(c -> blobReviews.expedite(c, scope));
        return collectDue(scope, progress, listener);
    }

    /** Deletes the scope's untagged manifests, round after round while deleting some uncovers more. */
    private void deleteUntagged(GcScope scope, GcProgress progress, Listener listener) {
        for (int round = 0; round < UNTAGGED_ROUNDS; round++) {
            List<GcEstimate.UntaggedManifest> untagged = estimate.untaggedManifests(scope, UNTAGGED_BATCH);
            boolean deletedAny = false;
            for (GcEstimate.UntaggedManifest manifest : untagged) {
                deletedAny |= manifests.review(manifest.id(), progress);
                listener.step("untagged manifests");
            }
            if (!deletedAny) {
                return;
            }
        }
    }

    private static void drain(BooleanSupplier step, String phase, Listener listener) {
        while (step.getAsBoolean()) {
            listener.step(phase);
        }
    }

    /** Reads the queue depths into the statistics (for the metrics). */
    public void refreshQueueDepths() {
        database.read(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT (SELECT count(*) FROM gc_blob_reviews), (SELECT count(*) FROM gc_manifest_reviews)");
                    ResultSet rs = select.executeQuery()) {
                rs.next();
                statistics.queueDepths(rs.getLong(1), rs.getLong(2));
            }
            return null;
        });
    }
}
