package io.berth.api.maintenance;

import io.berth.api.config.BerthConfig;
import io.berth.core.protocol.upload.UploadPurge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Purges abandoned upload sessions older than {@code berth.upload.purge-after}, on every node, periodically. */
@Singleton
public class UploadPurgeSchedule {
    private static final Logger LOG = Logger.getLogger(UploadPurgeSchedule.class);
    private static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

    private final UploadPurge purge;
    private final Vertx vertx;
    private final Duration purgeAfter;
    private final Counter purged;

    @Inject
    UploadPurgeSchedule(UploadPurge purge, Vertx vertx, BerthConfig config, MeterRegistry meters) {
        this.purge = purge;
        this.vertx = vertx;
        this.purgeAfter = config.upload().purgeAfter();
        this.purged = Counter.builder("berth.uploads.purged").description("Abandoned upload sessions purged").register(meters);
    }

    void start(@Observes StartupEvent event) {
        // Often enough that a session outlives its limit by at most a quarter of it (or ten minutes).
        long interval = Math.max(1000, Math.min(purgeAfter.dividedBy(4).toMillis(), MAX_INTERVAL.toMillis()));
        vertx.setPeriodic(interval, ignored -> run());
    }

    private void run() {
        purge.purgeOlderThan(purgeAfter).onComplete(result -> {
            if (result.failed()) {
                LOG.warnf("purging abandoned uploads failed: %s", result.cause().getMessage());
            } else if (result.result() > 0) {
                purged.increment(result.result());
                LOG.infof("purged %d abandoned upload sessions", result.result());
            }
        });
    }
}
