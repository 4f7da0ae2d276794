package io.berth.core.metadata;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Transactions over the metadata database, on the reactive PostgreSQL pool: the work runs on the
 * event loop that owns its connection, and nothing here blocks a thread. A transaction is one short
 * unit of SQL, never held across network I/O with a client.
 *
 * <p>Failures of the database itself (no connection, a connection lost, a pool that had none free
 * in time) come back as {@link MetadataUnavailableException}, values PostgreSQL refuses as
 * {@link RejectedValueException}; anything the work itself fails with (a domain error) comes back
 * unchanged, after the transaction rolled back.
 */
@Singleton
public class Database {
    /** PostgreSQL's SQLSTATEs for serialization failure and deadlock: safe to retry the whole unit. */
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final int ATTEMPTS = 5;

    private final Pool pool;

    @Inject
    public Database(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction, committing on success and retrying on serialization conflicts. */
    public <T> Future<T> transaction(SqlWork<T> work) {
        return attempt(work, 1);
    }

    private <T> Future<T> attempt(SqlWork<T> work, int attempt) {
        Future<T> outcome = pool.withTransaction(work::apply);
        return outcome.recover(failure -> attempt < ATTEMPTS && isRetryable(failure)
                ? attempt(work, attempt + 1)
                : Future.failedFuture(DatabaseFailures.translate("metadata transaction failed", failure)));
    }

    /** Runs read-only {@code work} on one connection in auto-commit mode. */
    public <T> Future<T> read(SqlWork<T> work) {
        return autoCommitted(work);
    }

    /**
     * Runs {@code work}, a single statement that changes data, in auto-commit mode: the statement is a
     * transaction by itself, without the round trips of BEGIN and COMMIT. For hot paths such as uploads.
     */
    public <T> Future<T> single(SqlWork<T> work) {
        return autoCommitted(work);
    }

    private <T> Future<T> autoCommitted(SqlWork<T> work) {
        Future<T> outcome = pool.withConnection(work::apply);
        return outcome.recover(failure -> Future.failedFuture(DatabaseFailures.translate("metadata query failed", failure)));
    }

    private static boolean isRetryable(Throwable failure) {
        return failure instanceof PgException pg
                && (SERIALIZATION_FAILURE.equals(pg.getSqlState()) || DEADLOCK_DETECTED.equals(pg.getSqlState()));
    }
}
