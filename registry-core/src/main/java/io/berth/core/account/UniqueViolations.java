package io.berth.core.account;

import io.smallrye.mutiny.Uni;
import io.berth.core.metadata.DatabaseFailures;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Inserts that lose a race for a unique name. The caller looks the name up first in the same
 * transaction, which answers the ordinary case without a failed statement; this covers a concurrent
 * insert of the same name between that lookup and the insert. The transaction is then aborted: the
 * caller may only end it, by failing.
 */
final class UniqueViolations {
    /** PostgreSQL's SQLSTATE for a unique violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueViolations() {
    }

    /**
     * What {@code insert} answers, or empty when a unique constraint refused it. The session then
     * forgets the refused entity, so that ending the transaction does not try to flush it.
     */
    static <T> Uni<Optional<T>> emptyIfTaken(Mutiny.Session s, Uni<T> insert) {
        return insert.map(Optional::of).onFailure(UniqueViolations::isUniqueViolation).recoverWithItem(() -> {
            s.clear();
            return Optional.empty();
        });
    }

    /** Whether PostgreSQL refused a duplicate (however Hibernate Reactive wrapped its error). */
    private static boolean isUniqueViolation(Throwable failure) {
        return UNIQUE_VIOLATION.equals(DatabaseFailures.serverState(failure));
    }
}
