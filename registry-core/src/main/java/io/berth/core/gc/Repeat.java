package io.berth.core.gc;

import io.berth.core.concurrent.Futures;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Runs an asynchronous step again and again while it answers true: a collection works through
 * however many reviews are due, a sweep through however many pages storage has. Each round starts
 * from the completion of the one before, so neither the chain of futures nor the stack grows with
 * the number of rounds (as a recursive {@code compose} would).
 */
final class Repeat {
    private Repeat() {
    }

    /** Completes when {@code step} answers false, fails with the first failure. */
    static Future<Void> whileTrue(Supplier<Future<Boolean>> step) {
        Promise<Void> done = Promise.promise();
        next(step, done);
        return done.future();
    }

    private static void next(Supplier<Future<Boolean>> step, Promise<Void> done) {
        while (true) {
            Future<Boolean> round = Futures.attempt(step::get);
            if (!round.isComplete()) {
                round.onComplete(result -> {
                    if (settle(result, done)) {
                        next(step, done);
                    }
                });
                return;
            }
            // Answered at once: go round here rather than one stack frame deeper.
            if (!settle(round, done)) {
                return;
            }
        }
    }

    /** Ends {@code done} when the round failed or answered false; true when another round is due. */
    private static boolean settle(AsyncResult<Boolean> round, Promise<Void> done) {
        if (round.failed()) {
            done.fail(round.cause());
            return false;
        }
        if (!Boolean.TRUE.equals(round.result())) {
            done.complete();
            return false;
        }
        return true;
    }
}
