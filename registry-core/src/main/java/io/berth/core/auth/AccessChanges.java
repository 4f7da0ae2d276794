package io.berth.core.auth;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.SqlWork;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The one way to change who may do what: the change commits together with a notification that
 * clears every node's {@link AuthCaches}, so a revoked token or removed permission stops working
 * at once everywhere, not when a cache entry expires.
 */
@Singleton
public class AccessChanges {
    private static final List<Invalidation> AUTH = List.of(Invalidation.auth());

    private final Database database;
    private final CacheInvalidations invalidations;

    @Inject
    public AccessChanges(Database database, CacheInvalidations invalidations) {
        this.database = database;
        this.invalidations = invalidations;
    }

    public <T> T commit(SqlWork<T> change) {
        T result = database.transaction(c -> {
            T value = change.apply(c);
            invalidations.publish(c, AUTH);
            return value;
        });
        invalidations.apply(AUTH);
        return result;
    }
}
