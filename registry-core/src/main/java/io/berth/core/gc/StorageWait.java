package io.berth.core.gc;

import io.berth.core.storage.StorageUnavailableException;
import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a blob store call from collection's own thread, which holds a transaction (and the row
 * locks that make the storage change safe) until the call is done.
 */
final class StorageWait {
    private static final long TIMEOUT_SECONDS = 120;

    private StorageWait() {
    }

    /** The call's result; a failure or timeout is the storage being unavailable for {@code what}. */
    static <T> T await(Future<T> call, String what) {
        try {
            return call.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while trying to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StorageUnavailableException("could not " + what, e instanceof ExecutionException ? e.getCause() : e);
        }
    }
}
