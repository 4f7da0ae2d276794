package io.berth.api.cluster;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies the cache invalidations other nodes publish (PostgreSQL LISTEN/NOTIFY), so a tag moved or
 * deleted on one node is seen on every node within moments. One connection of its own, outside the
 * pool and to the same database, is held for listening; the subscriber reconnects by itself when
 * it drops. Whenever listening (re)starts, every cache is cleared: notifications sent while no one
 * listened are lost, and dropping the caches is the only safe answer to not knowing. Losing the
 * connection clears nothing by itself: while the database is out of reach the caches are what keeps
 * pulls answering, and what they hold is no staler than what would be loaded into them meanwhile.
 */
@Singleton
public class InvalidationListener {
    private static final Logger LOG = Logger.getLogger(InvalidationListener.class);
    private static final long RECONNECT_DELAY_MILLIS = 1000;
    /** The server is shutting down (as the embedded one does when the registry stops). */
    private static final String ADMIN_SHUTDOWN = "57P01";

    private final Vertx vertx;
    private final CacheInvalidations invalidations;
    private final PgSubscriber subscriber;
    private volatile boolean running;
    /** Why the listening connection failed last, for the message when it is lost. */
    private volatile Throwable lastFailure;

    @Inject
    InvalidationListener(Vertx vertx, CacheInvalidations invalidations,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.invalidations = invalidations;
        PgConnectOptions options = PgConnectOptions.fromUri(url);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options)
                // Called with 0 when the connection has just been lost, then with each failed attempt's number.
                .reconnectPolicy(attempt -> {
                    if (attempt == 0) {
                        lost();
                    }
                    return RECONNECT_DELAY_MILLIS;
                });
        subscriber.channel(CacheInvalidations.CHANNEL)
                .subscribeHandler(ignored -> listening())
                .handler(this::apply);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        connect();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        subscriber.close();
    }

    /**
     * The first connection. Once connected, the subscriber itself reconnects after losing it; a
     * first attempt that fails is tried again here.
     */
    private void connect() {
        subscriber.connect().onFailure(failure -> {
            if (!running) {
                return;
            }
            LOG.warnf("cache invalidation listener cannot connect (%s); retrying", failure.getMessage());
            // A subscriber whose first connection failed must be closed before it connects again.
            subscriber.close().onComplete(closed -> vertx.setTimer(RECONNECT_DELAY_MILLIS, timer -> {
                if (running) {
                    connect();
                }
            }));
        });
    }

    /** LISTEN is in place (again): whatever was sent before it is unknown here. */
    private void listening() {
        lastFailure = null;
        PgConnection connection = subscriber.actualConnection();
        if (connection != null) {
            connection.exceptionHandler(failure -> lastFailure = failure);
        }
        invalidations.clearAll();
    }

    private void lost() {
        if (!running) {
            return;
        }
        Throwable failure = lastFailure;
        boolean serverShutdown = failure instanceof PgException pg && ADMIN_SHUTDOWN.equals(pg.getSqlState());
        LOG.logf(serverShutdown ? Logger.Level.DEBUG : Logger.Level.WARN, "cache invalidation listener lost its connection (%s); reconnecting",
                failure == null ? "closed" : failure.getMessage());
    }

    private void apply(String payload) {
        Invalidation invalidation = Invalidation.decode(payload);
        if (invalidation != null) {
            invalidations.apply(invalidation);
        }
    }
}
