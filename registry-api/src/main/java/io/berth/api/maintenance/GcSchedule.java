package io.berth.api.maintenance;

import io.berth.api.config.BerthConfig;
import io.berth.core.concurrent.Futures;
import io.berth.core.gc.GarbageCollector;
import io.berth.core.gc.GcScope;
import io.berth.core.gc.GcStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Background garbage collection on every node: every few seconds, settles whatever reviews are due
 * (nodes share them through SKIP LOCKED). With {@code berth.gc.enabled=false} only the queue depths
 * are read, for the metrics. Publishes the collection metrics. A pass runs on a Vert.x timer and
 * the next one is set when it has ended, so passes of one node never overlap.
 */
@Singleton
public class GcSchedule {
    private static final Logger LOG = Logger.getLogger(GcSchedule.class);
    private static final long INTERVAL_SECONDS = 5;

    private final GarbageCollector collector;
    private final GcStatistics statistics;
    private final Vertx vertx;
    private final boolean enabled;
    private volatile boolean stopped;
    private volatile long timer = -1;

    @Inject
    GcSchedule(GarbageCollector collector, GcStatistics statistics, Vertx vertx, BerthConfig config, MeterRegistry meters) {
        this.collector = collector;
        this.statistics = statistics;
        this.vertx = vertx;
        this.enabled = config.gc().enabled();
        FunctionCounter.builder("berth.gc.manifests.deleted", statistics, GcStatistics::manifestsDeleted)
                .description("Manifests deleted by garbage collection").register(meters);
        FunctionCounter.builder("berth.gc.blobs.deleted", statistics, GcStatistics::blobsDeleted)
                .description("Blobs deleted by garbage collection").register(meters);
        FunctionCounter.builder("berth.gc.freed", statistics, GcStatistics::bytesFreed).baseUnit("bytes")
                .description("Bytes freed in storage by garbage collection").register(meters);
        Gauge.builder("berth.gc.queue.blobs", statistics, GcStatistics::blobQueueDepth)
                .description("Blobs waiting for review").register(meters);
        Gauge.builder("berth.gc.queue.manifests", statistics, GcStatistics::manifestQueueDepth)
                .description("Manifests waiting for review").register(meters);
        FunctionCounter.builder("berth.gc.runs", statistics, GcStatistics::runs)
                .description("Collections that did work: background passes and on-demand runs").register(meters);
        FunctionCounter.builder("berth.gc.run.duration", statistics, GcStatistics::runSeconds).baseUnit("seconds")
                .description("Time spent in those collections").register(meters);
        Gauge.builder("berth.gc.run.last.duration", statistics, GcStatistics::lastRunSeconds).baseUnit("seconds")
                .description("Duration of the latest collection").register(meters);
    }

    void start(@Observes StartupEvent event) {
        schedule();
    }

    private void schedule() {
        if (!stopped) {
            timer = vertx.setTimer(TimeUnit.SECONDS.toMillis(INTERVAL_SECONDS),
                    ignored -> Futures.attempt(this::pass).onComplete(done -> schedule()));
        }
    }

    private Future<Void> pass() {
        if (!enabled) {
            return collector.refreshQueueDepths().recover(this::failed);
        }
        long started = System.nanoTime();
        return collector.collectDue(GcScope.REGISTRY, collector.newProgress(), this::untilStopped).onSuccess(progress -> {
            if (progress.didWork()) {
                statistics.runFinished(System.nanoTime() - started);
                LOG.infof("background garbage collection: %d manifests and %d blobs reviewed, %d manifests and %d blobs deleted,"
                        + " %d bytes freed", progress.manifestsReviewed(), progress.blobsReviewed(), progress.manifestsDeleted(),
                        progress.blobsDeleted(), progress.bytesFreed());
            }
        }).<Void>mapEmpty().recover(this::failed);
    }

    /** Ends a pass at its next step once the node shuts down. */
    private Future<Void> untilStopped(String phase) {
        return stopped ? Future.failedFuture(new IllegalStateException("the node is shutting down")) : Future.succeededFuture();
    }

    private Future<Void> failed(Throwable failure) {
        if (stopped) {
            return Future.succeededFuture();
        }
        LOG.warnf("background garbage collection pass failed, retried in %d s: %s", INTERVAL_SECONDS, failure.getMessage());
        return Future.succeededFuture();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        vertx.cancelTimer(timer);
    }
}
