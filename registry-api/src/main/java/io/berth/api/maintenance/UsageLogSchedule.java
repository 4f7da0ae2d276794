package io.berth.api.maintenance;

import io.berth.core.audit.UsageLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/** Writes the queued usage events every second, and once more when the node stops. */
@Singleton
public class UsageLogSchedule {
    private static final Logger LOG = Logger.getLogger(UsageLogSchedule.class);
    private static final long INTERVAL_MILLIS = 1_000;

    private final UsageLog log;
    private final Vertx vertx;
    private final AtomicBoolean flushing = new AtomicBoolean();

    @Inject
    UsageLogSchedule(UsageLog log, Vertx vertx, MeterRegistry meters) {
        this.log = log;
        this.vertx = vertx;
        Gauge.builder("berth.usage_log.queued", log, UsageLog::queued).description("Usage events not yet written").register(meters);
        Gauge.builder("berth.usage_log.dropped", log, UsageLog::dropped).description("Usage events dropped: the queue was full")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(INTERVAL_MILLIS, ignored -> {
            if (log.queued() > 0 && flushing.compareAndSet(false, true)) {
                log.flush().onComplete(result -> {
                    flushing.set(false);
                    if (result.failed()) {
                        LOG.warnf("writing usage events failed, retried in a second: %s", result.cause().getMessage());
                    }
                });
            }
        });
    }

    /** The last write, waited for (see {@link LastWrite}). */
    void stop(@Observes ShutdownEvent event) {
        LastWrite.await(log.flush(), "usage events");
    }
}
