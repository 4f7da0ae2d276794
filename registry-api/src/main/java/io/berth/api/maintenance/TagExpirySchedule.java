package io.berth.api.maintenance;

import io.berth.core.tag.TagService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Prunes tags whose expiry has passed, on every node (rows are taken with SKIP LOCKED, so nodes
 * share the work). Expired tags already stop resolving at their expiry; pruning removes them and
 * closes their history, which makes what they pointed at a candidate for garbage collection.
 */
@Singleton
public class TagExpirySchedule {
    private static final Logger LOG = Logger.getLogger(TagExpirySchedule.class);
    private static final long INTERVAL_MILLIS = 30_000;
    private static final int BATCH = 500;

    private final TagService tags;
    private final Vertx vertx;
    private final Counter pruned;

    @Inject
    TagExpirySchedule(TagService tags, Vertx vertx, MeterRegistry meters) {
        this.tags = tags;
        this.vertx = vertx;
        this.pruned = Counter.builder("berth.tags.expired").description("Expired tags pruned").register(meters);
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(INTERVAL_MILLIS, ignored -> run());
    }

    private void run() {
        tags.pruneExpired(BATCH).onComplete(result -> {
            if (result.failed()) {
                LOG.warnf("pruning expired tags failed: %s", result.cause().getMessage());
            } else if (result.result() > 0) {
                pruned.increment(result.result());
                LOG.infof("pruned %d expired tags", result.result());
            }
        });
    }
}
