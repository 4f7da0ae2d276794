package io.berth.api.maintenance;

import io.berth.core.release.ReleaseWorker;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Releases are worked on every node: the node that records one starts on it at once, and every node
 * looks for due releases (new ones, and those whose node stopped renewing its lease) each second,
 * so a release outlives the node that began it.
 */
@Singleton
public class ReleaseSchedule {
    private static final long INTERVAL_MILLIS = 1_000;

    private final ReleaseWorker worker;
    private final Vertx vertx;
    private volatile long timer = -1;

    @Inject
    ReleaseSchedule(ReleaseWorker worker, Vertx vertx) {
        this.worker = worker;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(INTERVAL_MILLIS, ignored -> worker.wake());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
        worker.stop();
    }
}
