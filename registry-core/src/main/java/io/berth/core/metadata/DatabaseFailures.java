package io.berth.core.metadata;

import io.berth.core.quota.QuotaExceededException;
import io.vertx.pgclient.PgException;
import org.hibernate.JDBCException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure of the metadata database from a failure of the work that ran on it. The first
 * becomes a {@link MetadataUnavailableException} (503) or, for a value PostgreSQL refused, a
 * {@link RejectedValueException} (400), or, for bytes a Reject quota limit refused, a
 * {@link QuotaExceededException} (403); the second is passed on as it is.
 */
public final class DatabaseFailures {
    private DatabaseFailures() {
    }

    public static Throwable translate(String message, Throwable failure) {
        if (isOurs(failure)) {
            // Berth's own exceptions (a domain refusal, a storage outage met inside a transaction)
            // say what went wrong already, whatever their causes.
            return failure;
        }
        String sqlState = serverState(failure);
        if (QuotaExceededException.SQL_STATE.equals(sqlState)) {
            PgException refusal = pgException(failure);
            if (refusal != null && refusal.getDetail() != null) {
                return QuotaExceededException.fromDatabaseDetail(refusal.getDetail());
            }
        }
        if (sqlState != null) {
            return RejectedValueException.isRejectedValue(sqlState)
                    ? new RejectedValueException(message, sqlState, failure)
                    : new MetadataUnavailableException(message, failure);
        }
        return isConnectionFailure(failure) ? new MetadataUnavailableException(message, failure) : failure;
    }

    private static boolean isOurs(Throwable failure) {
        return failure.getClass().getName().startsWith("io.berth.");
    }

    /**
     * The SQLSTATE of the PostgreSQL error behind {@code failure}, however deep a mapping layer
     * wrapped it: the client's own error, or Hibernate's translation of it (which carries the state
     * but no longer the client's exception); null if the server reported no error.
     */
    public static String serverState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getSqlState();
            }
            if (t instanceof JDBCException mapped && mapped.getSQLState() != null) {
                return mapped.getSQLState();
            }
        }
        return null;
    }

    private static PgException pgException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return pg;
            }
        }
        return null;
    }

    /**
     * The client's own failures: no connection could be made or was left, the pool had none free in
     * time, the server went away mid-statement. The Vert.x client reports these as its own types, as
     * I/O errors or as timeouts; none of them is what the work itself threw.
     */
    private static boolean isConnectionFailure(Throwable failure) {
        return failure instanceof IOException
                || failure instanceof TimeoutException
                || failure.getClass().getName().startsWith("io.vertx.")
                || (failure.getCause() != null && failure.getCause() != failure && isConnectionFailure(failure.getCause()));
    }
}
