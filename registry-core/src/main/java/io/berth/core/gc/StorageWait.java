package io.berth.core.gc;

import io.berth.core.storage.StorageUnavailableException;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/**
 * How collection waits for a blob store call it makes while its transaction holds the row locks
 * that make the storage change safe: at most two minutes, a failure or timeout being the storage
 * unavailable.
 *
 * <p>Such a failure has to leave the transaction as the work's own, rolling it back: the storage
 * error behind it (an I/O error, a timeout) must not be taken for the database's. So inside a
 * transaction it travels as a {@link Refused}, which carries it without making it its cause, and
 * {@link #refusal} gives it back once the transaction has ended.
 */
final class StorageWait {
    private static final long TIMEOUT_SECONDS = 120;

    private StorageWait() {
    }

    /** The call's result; a failure or timeout is the storage being unavailable for {@code what}. */
    static <T> Future<T> bounded(Future<T> call, String what) {
        return call.timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .recover(failure -> Future.failedFuture(new StorageUnavailableException("could not " + what, failure)));
    }

    /** Like {@link #bounded}, for a call inside a transaction: a failure comes as a {@link Refused}. */
    static <T> Future<T> inTransaction(Future<T> call, String what) {
        return bounded(call, what).recover(failure -> Future.failedFuture(new Refused((StorageUnavailableException) failure)));
    }

    /** What a transaction that made a storage call failed with: the storage's refusal as it was, or {@code failure}. */
    static <T> Future<T> refusal(Throwable failure) {
        return Future.failedFuture(failure instanceof Refused refused ? refused.refusal : failure);
    }

    /** A storage refusal on its way out of a transaction; deliberately without a cause, and without a stack trace. */
    static final class Refused extends RuntimeException {
        private final StorageUnavailableException refusal;

        Refused(StorageUnavailableException refusal) {
            super(refusal.getMessage(), null, false, false);
            this.refusal = refusal;
        }
    }
}
