package io.berth.core.gc;

import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * The second phase of deleting a blob: its bytes leave storage, then its row (marked
 * {@code deleting} by the first phase) leaves the database. The row stays locked FOR UPDATE while
 * the bytes are deleted (the transaction deliberately stays open across that storage call), so
 * exactly one worker deletes them, and an upload of the same content waits until the row is gone
 * before committing new bytes. Idempotent: a worker that died half way leaves the row marked and
 * unlocked, and whoever comes next (a collection, or an upload of the same content) finishes the job.
 */
@Singleton
public class BlobDeletion {
    private static final Logger LOG = Logger.getLogger(BlobDeletion.class);
    private final Database database;
    private final BlobStore store;

    @Inject
    public BlobDeletion(Database database, BlobStore store) {
        this.database = database;
        this.store = store;
    }

    /**
     * Finishes deleting the blob when it is marked, waiting for a worker that holds it; answers the
     * bytes freed here (empty when there was nothing left to do).
     */
    public Future<OptionalLong> finish(String digest) {
        return finish(digest, "");
    }

    /**
     * Finishes up to {@code limit} deletions whose workers stopped half way (rows marked but not held
     * by anyone); answers the bytes freed per blob.
     */
    public Future<List<Long>> finishAbandoned(int limit) {
        return database.read(c -> c.preparedQuery("SELECT digest FROM blobs WHERE state = 'deleting' LIMIT $1")
                        .execute(Tuple.of((long) limit))
                        .map(rows -> {
                            List<String> digests = new ArrayList<>();
                            for (Row row : rows) {
                                digests.add(row.getString(0));
                            }
                            return digests;
                        }))
                .compose(abandoned -> Futures.sequentially(abandoned, digest -> finish(digest, " SKIP LOCKED").recover(failure -> {
                    if (!(failure instanceof StorageUnavailableException)) {
                        return Future.failedFuture(failure);
                    }
                    LOG.warnf("%s stays marked for deletion, storage refused: %s", digest, failure.getMessage());
                    return Future.succeededFuture(OptionalLong.empty());
                })))
                .map(finished -> {
                    List<Long> freed = new ArrayList<>();
                    finished.forEach(bytes -> bytes.ifPresent(freed::add));
                    return freed;
                });
    }

    private Future<OptionalLong> finish(String digest, String locking) {
        return database.<OptionalLong>transaction(c -> c.preparedQuery(
                        "SELECT size FROM blobs WHERE digest = $1 AND state = 'deleting' FOR UPDATE" + locking)
                .execute(Tuple.of(digest))
                .compose(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Future.succeededFuture(OptionalLong.empty());
                    }
                    long size = rows.iterator().next().getLong(0);
                    return StorageWait.inTransaction(store.delete(Digest.parse(digest)), "delete " + digest + " from storage")
                            // Links made after the first phase (an upload whose safety window ran out) go with the blob.
                            .compose(deleted -> Statements.update(c, "DELETE FROM repository_blobs WHERE digest = $1", digest))
                            .compose(unlinked -> Statements.update(c, "DELETE FROM blobs WHERE digest = $1 AND state = 'deleting'", digest))
                            .map(gone -> OptionalLong.of(size));
                }))
                .recover(StorageWait::refusal);
    }
}
