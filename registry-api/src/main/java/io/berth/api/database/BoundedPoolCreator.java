package io.berth.api.database;

import io.berth.api.config.BerthConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Builds the metadata pool with a bounded wait: a request that finds every connection busy waits at
 * most {@code berth.database.acquire-timeout}, in a queue of at most {@code berth.database.max-waiting},
 * and then fails (answered 503) instead of queueing without end behind slow statements.
 */
@Singleton
public class BoundedPoolCreator implements PgPoolCreator {
    private final BerthConfig config;

    @Inject
    BoundedPoolCreator(BerthConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        PoolOptions options = new PoolOptions(input.poolOptions())
                .setConnectionTimeout((int) config.database().acquireTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(config.database().maxWaiting());
        return PgBuilder.pool().with(options).connectingTo(new ArrayList<>(input.pgConnectOptionsList())).using(input.vertx()).build();
    }
}
