package io.berth.core.concurrent;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** Composing many futures: the few shapes reactive metadata code needs, in one place. */
public final class Futures {
    private Futures() {
    }

    /**
     * Runs {@code step} for each item, one after the other (each starts when the one before has
     * succeeded), and answers the results in order; the first failure ends the run. For statements
     * that must not overlap on one connection, such as those of a transaction that depend on each other.
     */
    public static <T, R> Future<List<R>> sequentially(Iterable<T> items, Function<T, Future<R>> step) {
        List<R> results = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (T item : items) {
            chain = chain.compose(ignored -> step.apply(item)).map(result -> {
                results.add(result);
                return null;
            });
        }
        return chain.map(ignored -> results);
    }

    /**
     * Starts {@code step} for every item at once and answers the results in order when all have
     * succeeded. On one connection the client pipelines the statements, so independent lookups cost
     * one round trip instead of one each.
     */
    public static <T, R> Future<List<R>> together(List<T> items, Function<T, Future<R>> step) {
        List<Future<R>> started = new ArrayList<>(items.size());
        for (T item : items) {
            started.add(step.apply(item));
        }
        return Future.all(started).map(all -> {
            List<R> results = new ArrayList<>(started.size());
            for (Future<R> future : started) {
                results.add(future.result());
            }
            return results;
        });
    }

    /** The value of a load that has succeeded; null while it is in flight, after it failed, or when there is none. */
    public static <T> T valueIfDone(CompletableFuture<T> load) {
        return load != null && load.isDone() && !load.isCompletedExceptionally() ? load.join() : null;
    }

    /**
     * A Vert.x future of a completion stage (say, a shared cache load), completed on the caller's
     * Vert.x context when there is one, and failed with the stage's own failure rather than the
     * {@link CompletionException} a dependent stage wraps it in. A load that has already succeeded (a
     * cache hit) is answered here and now, without a trip through the event loop's queue.
     */
    public static <T> Future<T> onCallersContext(CompletableFuture<T> stage) {
        T done = valueIfDone(stage);
        if (done != null) {
            return Future.succeededFuture(done);
        }
        Context caller = Vertx.currentContext();
        Future<T> answer = caller == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, caller);
        return answer.recover(failure -> Future.failedFuture(
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
    }

    /** A future of what {@code work} answers, or failed with what it throws: for code that may throw before its first future. */
    public static <T> Future<T> attempt(Callable<Future<T>> work) {
        try {
            return work.call();
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
    }
}
