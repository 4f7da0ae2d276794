package io.berth.core.protocol.upload;

import io.berth.core.metadata.Database;
import io.berth.core.metadata.UploadRecords;
import io.berth.core.storage.BlobStore;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Removes upload sessions that clients abandoned: the row first (so no client can continue it), then
 * its data in the blob store. Data whose removal fails after the row is gone has no metadata left and
 * is what the storage orphan sweep finds.
 */
@Singleton
public class UploadPurge {
    private static final int BATCH = 100;

    private final Database database;
    private final UploadRecords uploads;
    private final BlobStore store;
    private final DigestStates digestStates;

    @Inject
    public UploadPurge(Database database, UploadRecords uploads, BlobStore store, DigestStates digestStates) {
        this.database = database;
        this.uploads = uploads;
        this.store = store;
        this.digestStates = digestStates;
    }

    /** Purges every session untouched for {@code age}; returns how many. */
    public Future<Integer> purgeOlderThan(Duration age) {
        return purgeBatch(age, 0);
    }

    private Future<Integer> purgeBatch(Duration age, int purgedSoFar) {
        return database.transaction(c -> uploads.deleteStale(c, age.toMillis(), BATCH))
                .compose(ids -> abortAll(ids, 0).map(ids.size()))
                .compose(count -> count < BATCH ? Future.succeededFuture(purgedSoFar + count) : purgeBatch(age, purgedSoFar + count));
    }

    private Future<Void> abortAll(List<UUID> ids, int index) {
        if (index == ids.size()) {
            return Future.succeededFuture();
        }
        UUID id = ids.get(index);
        digestStates.forget(id);
        return store.abortUpload(id.toString()).compose(ignored -> abortAll(ids, index + 1));
    }
}
