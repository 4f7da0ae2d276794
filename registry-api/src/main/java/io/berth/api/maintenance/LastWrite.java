package io.berth.api.maintenance;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The last write of what a node batches in memory (usage events, pull statistics), made when it stops.
 * The node closes its database pool once shutdown observers have returned, so the write is waited
 * for, bounded. Shutdown runs on the main thread, never on an event loop, so waiting blocks no I/O.
 */
public final class LastWrite {
    private static final Logger LOG = Logger.getLogger(LastWrite.class);
    private static final long WAIT_SECONDS = 10;

    private LastWrite() {
    }

    /** Waits for {@code write}; {@code what} names what it writes in the warning when it fails or takes too long. */
    public static void await(Future<?> write, String what) {
        try {
            write.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            LOG.warnf("%s not written at shutdown: %s", what, e.getCause().getMessage());
        } catch (TimeoutException e) {
            LOG.warnf("%s not written at shutdown within %d s", what, WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
