package io.berth.core.metadata;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** A unit of reactive SQL work on one connection; it must not block. */
@FunctionalInterface
public interface SqlWork<T> {
    Future<T> apply(SqlConnection connection);
}
