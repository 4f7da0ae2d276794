package io.berth.core.concurrent;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Callable;

/**
 * Runs blocking or CPU-heavy work (file system calls, Argon2id, hashing large bodies) on the worker
 * pool so event loops never wait. Metadata never comes here: it is reactive end to end.
 * Unordered: independent requests must not queue behind each other.
 */
@Singleton
public class Blocking {
    private final Vertx vertx;

    @Inject
    public Blocking(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Future<T> run(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
