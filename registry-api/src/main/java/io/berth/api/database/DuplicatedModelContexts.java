package io.berth.api.database;

import io.berth.core.metadata.ModelContexts;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * Runs each unit of model work on a new duplicated context of the current event loop (or any event
 * loop, from a thread that has none), marked safe as Quarkus requires of contexts that hold a
 * reactive session. The caller's own context sees the result.
 */
@Singleton
public class DuplicatedModelContexts implements ModelContexts {
    private final Vertx vertx;

    @Inject
    DuplicatedModelContexts(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public <T> Future<T> onOwnContext(Supplier<Future<T>> work) {
        Context caller = Vertx.currentContext();
        Context base = caller != null ? caller : vertx.getOrCreateContext();
        Context own = VertxContext.createNewDuplicatedContext(base);
        VertxContextSafetyToggle.setContextSafe(own, true);
        Promise<T> done = caller != null ? ((io.vertx.core.impl.ContextInternal) caller).promise() : Promise.promise();
        own.runOnContext(ignored -> {
            try {
                work.get().onComplete(done);
            } catch (RuntimeException e) {
                done.fail(e);
            }
        });
        return done.future();
    }
}
