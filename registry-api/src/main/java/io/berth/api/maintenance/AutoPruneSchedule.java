package io.berth.api.maintenance;

import io.berth.core.autoprune.AutoPruneSettings;
import io.berth.core.autoprune.AutoPruner;
import io.berth.core.concurrent.Futures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Runs the namespaces' auto-prune policies on every node, once each {@code berth.autoprune.interval}:
 * each node looks for namespaces that are due and prunes them one by one; a namespace another node
 * is pruning is skipped ({@link io.berth.core.autoprune.AutoPruneRuns}). The next pass is set when one
 * has ended, so passes of one node never overlap.
 */
@Singleton
public class AutoPruneSchedule {
    private static final Logger LOG = Logger.getLogger(AutoPruneSchedule.class);

    private final AutoPruner pruner;
    private final AutoPruneSettings settings;
    private final Vertx vertx;
    private final Counter pruned;
    private volatile boolean stopped;
    private volatile long timer = -1;

    @Inject
    AutoPruneSchedule(AutoPruner pruner, AutoPruneSettings settings, Vertx vertx, MeterRegistry meters) {
        this.pruner = pruner;
        this.settings = settings;
        this.vertx = vertx;
        this.pruned = Counter.builder("berth.autoprune.runs").description("Scheduled auto-prune runs of a namespace on this node")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        if (settings.enabled()) {
            schedule();
        }
    }

    private void schedule() {
        if (!stopped) {
            timer = vertx.setTimer(settings.interval().toMillis(), ignored -> Futures.attempt(pruner::scheduledPass).onComplete(done -> {
                if (done.failed()) {
                    LOG.warnf("scheduled auto-prune pass failed, retried in %s: %s", settings.interval(), done.cause().getMessage());
                } else {
                    pruned.increment(done.result());
                }
                schedule();
            }));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        vertx.cancelTimer(timer);
    }
}
