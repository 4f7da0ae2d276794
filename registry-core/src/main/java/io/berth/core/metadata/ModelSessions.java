package io.berth.core.metadata;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Hibernate Reactive sessions for the management model, on the same reactive pool as
 * {@link Database}, each unit on a Vert.x context of its own ({@link ModelContexts}). Answers Vert.x futures like {@link Database} does, with the same translation of
 * database failures, so callers compose both alike.
 */
@Singleton
public class ModelSessions {
    private final Mutiny.SessionFactory sessions;
    private final ModelContexts contexts;

    @Inject
    public ModelSessions(Mutiny.SessionFactory sessions, ModelContexts contexts) {
        this.sessions = sessions;
        this.contexts = contexts;
    }

    /** Runs {@code work} in one transaction: flushed and committed on success, rolled back on failure. */
    public <T> Future<T> transaction(Function<Mutiny.Session, Uni<T>> work) {
        return contexts.onOwnContext(() -> settle("metadata transaction failed", sessions.withTransaction(work)));
    }

    /** Runs read-only {@code work} in a session of its own. */
    public <T> Future<T> read(Function<Mutiny.Session, Uni<T>> work) {
        return contexts.onOwnContext(() -> settle("metadata query failed", sessions.withSession(work)));
    }

    /** Subscribes on the current (own) context, so the session is opened there. */
    private static <T> Future<T> settle(String message, Uni<T> outcome) {
        Future<T> done = Future.fromCompletionStage(outcome.subscribeAsCompletionStage());
        return done.recover(failure -> Future.failedFuture(DatabaseFailures.translate(message, unwrap(failure))));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
