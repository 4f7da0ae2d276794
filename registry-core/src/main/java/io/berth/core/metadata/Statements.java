package io.berth.core.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One-line statements: an INSERT, UPDATE or DELETE with positional parameters, nothing read back. */
public final class Statements {
    private Statements() {
    }

    /** Runs {@code sql} with {@code parameters} bound in order; answers the number of rows it touched. */
    public static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
