package io.berth.core.auth;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ModelSessions;
import io.berth.core.metadata.SqlWork;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The one way to change who may do what: the change commits together with a notification that
 * clears every node's {@link AuthCaches}, so a revoked token or removed permission stops working
 * at once everywhere, not when a cache entry expires. Changes to the management model go through
 * {@link #commitModel}, changes made in SQL through {@link #commit}.
 */
@Singleton
public class AccessChanges {
    private static final List<Invalidation> AUTH = List.of(Invalidation.auth());

    private final Database database;
    private final ModelSessions sessions;
    private final CacheInvalidations invalidations;

    @Inject
    public AccessChanges(Database database, ModelSessions sessions, CacheInvalidations invalidations) {
        this.database = database;
        this.sessions = sessions;
        this.invalidations = invalidations;
    }

    /** Commits {@code change}, made with SQL on the transaction's connection. */
    public <T> Future<T> commit(SqlWork<T> change) {
        Future<T> committed = database.transaction(c -> change.apply(c)
                .compose(value -> invalidations.publish(c, AUTH).map(value)));
        return committed.map(this::appliedHere);
    }

    /**
     * Commits {@code change}, made in the management model's session. (Not an overload of
     * {@link #commit}: a lambda would fit both.)
     */
    public <T> Future<T> commitModel(Function<Mutiny.Session, Uni<T>> change) {
        Future<T> committed = sessions.transaction(session -> change.apply(session)
                .call(() -> invalidations.publish(session, AUTH)));
        return committed.map(this::appliedHere);
    }

    /** This node clears its caches once the change is committed, without waiting for its own notification. */
    private <T> T appliedHere(T value) {
        invalidations.apply(AUTH);
        return value;
    }
}
