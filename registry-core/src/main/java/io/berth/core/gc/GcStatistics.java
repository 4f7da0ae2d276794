package io.berth.core.gc;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Totals of this node's garbage collection since it started, for metrics. */
@Singleton
public class GcStatistics {
    private final LongAdder manifestsDeleted = new LongAdder();
    private final LongAdder blobsDeleted = new LongAdder();
    private final LongAdder bytesFreed = new LongAdder();
    private final AtomicLong blobQueueDepth = new AtomicLong();
    private final AtomicLong manifestQueueDepth = new AtomicLong();
    private final LongAdder runs = new LongAdder();
    private final LongAdder runNanos = new LongAdder();
    private final AtomicLong lastRunNanos = new AtomicLong();

    /** A collection (a background pass that did work, or an on-demand run) took {@code nanos}. */
    public void runFinished(long nanos) {
        runs.increment();
        runNanos.add(nanos);
        lastRunNanos.set(nanos);
    }

    public double runs() {
        return runs.sum();
    }

    public double runSeconds() {
        return runNanos.sum() / 1e9;
    }

    public double lastRunSeconds() {
        return lastRunNanos.get() / 1e9;
    }

    void manifestDeleted() {
        manifestsDeleted.increment();
    }

    void blobDeleted(long bytes) {
        blobsDeleted.increment();
        bytesFreed.add(bytes);
    }

    void queueDepths(long blobs, long manifests) {
        blobQueueDepth.set(blobs);
        manifestQueueDepth.set(manifests);
    }

    public double manifestsDeleted() {
        return manifestsDeleted.sum();
    }

    public double blobsDeleted() {
        return blobsDeleted.sum();
    }

    public double bytesFreed() {
        return bytesFreed.sum();
    }

    public double blobQueueDepth() {
        return blobQueueDepth.get();
    }

    public double manifestQueueDepth() {
        return manifestQueueDepth.get();
    }
}
