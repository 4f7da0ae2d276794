package io.berth.core.metadata;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Transactions over the metadata database. Callers are on worker threads (see
 * {@link io.berth.core.concurrent.Blocking}); a transaction is one short unit of SQL, never held
 * across network I/O with a client.
 */
@Singleton
public class Database {
    /** PostgreSQL's SQLSTATEs for serialization failure and deadlock: safe to retry the whole unit. */
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final int ATTEMPTS = 5;

    private final DataSource dataSource;

    @Inject
    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in one transaction, committing on success and retrying on serialization conflicts. */
    public <T> T transaction(SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.apply(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && isRetryable(e)) {
                    continue;
                }
                throw failure("metadata transaction failed", e);
            }
        }
    }

    /** Runs read-only {@code work} in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        return autoCommitted(work);
    }

    /**
     * Runs {@code work}, a single statement that changes data, in auto-commit mode: the statement is a
     * transaction by itself, without the round trip of a COMMIT. For hot paths such as uploads.
     */
    public <T> T single(SqlWork<T> work) {
        return autoCommitted(work);
    }

    private <T> T autoCommitted(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw failure("metadata query failed", e);
        }
    }

    private static MetadataUnavailableException failure(String message, SQLException e) {
        return RejectedValueException.isRejectedValue(e) ? new RejectedValueException(message, e) : new MetadataUnavailableException(message, e);
    }

    private static boolean isRetryable(SQLException e) {
        return SERIALIZATION_FAILURE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState());
    }
}
