package io.berth.core.quota;

import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The early refusal of a push over a Reject limit: an upload is not even started in a namespace that
 * is at or over its limit, so a client does not send a layer only to have it refused at the end. A
 * namespace without a Reject limit costs nothing here but a cache lookup. This is a courtesy; the
 * guarantee is the usage trigger's, which checks every digest new to the namespace under the usage
 * counter's row lock when it is linked (upload completion, mount, manifest push).
 */
@Singleton
public class QuotaGate {
    private final Database database;
    private final QuotaRecords records;
    private final RejectLimitCache rejectLimits;

    @Inject
    public QuotaGate(Database database, QuotaRecords records, RejectLimitCache rejectLimits) {
        this.database = database;
        this.records = records;
        this.rejectLimits = rejectLimits;
    }

    /**
     * Fails with {@link QuotaExceededException} when an upload into {@code repository} could only
     * take its namespace past its Reject limit: the namespace is at or over it already, and the
     * content ({@code digest}, when the client named it) is not in the namespace yet.
     */
    public Future<Void> admitUpload(RepositoryName repository, Digest digest) {
        String namespace = repository.namespace();
        return rejectLimits.get(namespace, () -> database.read(c -> records.rejectBytes(c, namespace))).compose(limit -> {
            if (limit.isEmpty()) {
                return Future.succeededFuture();
            }
            return database.read(c -> records.usageBefore(c, namespace, digest)).compose(used ->
                    used.isPresent() && used.getAsLong() >= limit.getAsLong()
                            ? Future.failedFuture(new QuotaExceededException(namespace, used.getAsLong(), 0, limit.getAsLong()))
                            : Future.succeededFuture());
        });
    }
}
