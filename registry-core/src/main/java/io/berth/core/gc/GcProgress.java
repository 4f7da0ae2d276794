package io.berth.core.gc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one collection has done so far; every count also goes to the registry-wide
 * {@link GcStatistics} when there is one.
 */
public class GcProgress {
    private final AtomicLong manifestsReviewed = new AtomicLong();
    private final AtomicLong manifestsDeleted = new AtomicLong();
    private final AtomicLong blobsReviewed = new AtomicLong();
    private final AtomicLong blobsDeleted = new AtomicLong();
    private final AtomicLong bytesFreed = new AtomicLong();
    private final GcStatistics statistics;

    public GcProgress(GcStatistics statistics) {
        this.statistics = statistics;
    }

    void manifestReviewed(boolean deleted) {
        manifestsReviewed.incrementAndGet();
        if (deleted) {
            manifestsDeleted.incrementAndGet();
            statistics.manifestDeleted();
        }
    }

    void blobReviewed() {
        blobsReviewed(1);
    }

    void blobsReviewed(int count) {
        blobsReviewed.addAndGet(count);
    }

    void blobDeleted(long bytes) {
        blobsDeleted.incrementAndGet();
        bytesFreed.addAndGet(bytes);
        statistics.blobDeleted(bytes);
    }

    public long manifestsReviewed() {
        return manifestsReviewed.get();
    }

    public long manifestsDeleted() {
        return manifestsDeleted.get();
    }

    public long blobsReviewed() {
        return blobsReviewed.get();
    }

    public long blobsDeleted() {
        return blobsDeleted.get();
    }

    public long bytesFreed() {
        return bytesFreed.get();
    }

    /** Whether this collection deleted or reviewed anything at all. */
    public boolean didWork() {
        return manifestsReviewed() + blobsReviewed() + blobsDeleted() > 0;
    }
}
