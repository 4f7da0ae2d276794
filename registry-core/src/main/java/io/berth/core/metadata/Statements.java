package io.berth.core.metadata;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;

/** One-line statements: an INSERT, UPDATE or DELETE with positional parameters ($1, $2, ...), nothing read back. */
public final class Statements {
    private Statements() {
    }

    /** Runs {@code sql} with {@code parameters} bound in order; answers the number of rows it touched. */
    public static Future<Integer> update(SqlClient c, String sql, Object... parameters) {
        return c.preparedQuery(sql).execute(Tuple.from(parameters)).map(SqlResult::rowCount);
    }
}
