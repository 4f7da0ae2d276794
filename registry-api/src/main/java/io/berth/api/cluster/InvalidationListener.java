package io.berth.api.cluster;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Applies the cache invalidations other nodes publish (PostgreSQL LISTEN/NOTIFY), so a tag moved or
 * deleted on one node is seen on every node within moments. One connection is held for listening.
 * Whenever listening (re)starts, every cache is cleared: notifications sent while no one listened
 * are lost, and dropping the caches is the only safe answer to not knowing.
 */
@Singleton
public class InvalidationListener {
    private static final Logger LOG = Logger.getLogger(InvalidationListener.class);
    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;
    private final CacheInvalidations invalidations;
    private volatile boolean running;
    private Thread thread;

    @Inject
    InvalidationListener(DataSource dataSource, CacheInvalidations invalidations) {
        this.dataSource = dataSource;
        this.invalidations = invalidations;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().daemon().name("cache-invalidation-listener").start(this::listen);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CacheInvalidations.CHANNEL);
                }
                invalidations.clearAll();
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        Invalidation invalidation = Invalidation.decode(notification.getParameter());
                        if (invalidation != null) {
                            invalidations.apply(invalidation);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                // 57P01: the server is shutting down (as the embedded one does when the registry stops).
                boolean serverShutdown = e instanceof SQLException sql && "57P01".equals(sql.getSQLState());
                LOG.logf(serverShutdown ? Logger.Level.DEBUG : Logger.Level.WARN,
                        "cache invalidation listener lost its connection (%s); reconnecting", e.getMessage());
                invalidations.clearAll();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
