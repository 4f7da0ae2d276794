package io.berth.api.pullstats;

import io.berth.api.config.BerthConfig;
import io.berth.api.maintenance.LastWrite;
import io.berth.core.pullstats.PullStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Writes the pulls this node counted every {@code berth.pull-statistics.flush-interval}, and once more
 * when the node stops; a write that fails is retried at the next interval with what it had.
 */
@Singleton
public class PullStatisticsSchedule {
    private static final Logger LOG = Logger.getLogger(PullStatisticsSchedule.class);

    private final PullStatistics statistics;
    private final Vertx vertx;
    private final Duration interval;
    private final AtomicBoolean flushing = new AtomicBoolean();

    @Inject
    PullStatisticsSchedule(PullStatistics statistics, Vertx vertx, BerthConfig config, MeterRegistry meters) {
        this.statistics = statistics;
        this.vertx = vertx;
        this.interval = config.pullStatistics().flushInterval();
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("berth.pull-statistics.flush-interval must be at least 1ms, got " + interval);
        }
        FunctionCounter.builder("berth.pull_statistics.counted", statistics, PullStatistics::counted)
                .description("Manifest pulls counted by this node").register(meters);
        FunctionCounter.builder("berth.pull_statistics.written", statistics, PullStatistics::written)
                .description("Manifest pulls this node wrote to the database").register(meters);
        FunctionCounter.builder("berth.pull_statistics.flushes", statistics, PullStatistics::flushes)
                .description("Successful writes of pull statistics").register(meters);
        FunctionCounter.builder("berth.pull_statistics.dropped", statistics, PullStatistics::dropped)
                .description("Tag and manifest pulls not counted: too many distinct ones between two writes").register(meters);
        Gauge.builder("berth.pull_statistics.pending", statistics, PullStatistics::pending)
                .description("Tags and manifests with pulls not written yet").register(meters);
    }

    void start(@Observes StartupEvent event) {
        if (!statistics.enabled()) {
            return;
        }
        vertx.setPeriodic(interval.toMillis(), ignored -> {
            if (statistics.pending() > 0 && flushing.compareAndSet(false, true)) {
                statistics.flush().onComplete(result -> {
                    flushing.set(false);
                    if (result.failed()) {
                        LOG.warnf("writing pull statistics failed, kept for the next try in %s: %s", interval,
                                result.cause().getMessage());
                    }
                });
            }
        });
    }

    /** The last write, waited for (see {@link LastWrite}). */
    void stop(@Observes ShutdownEvent event) {
        if (!statistics.enabled()) {
            return;
        }
        LastWrite.await(statistics.flush(), "pull statistics");
    }
}
