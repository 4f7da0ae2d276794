package io.berth.core.gc;

import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.StoredBlob;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds objects in storage that no metadata row describes (left by a crash between storing bytes
 * and recording them, or by a failed deletion whose row went), reports them, and deletes those
 * older than the safety age. Walks the store page by page, so memory stays flat.
 */
@Singleton
public class OrphanSweep {
    private static final int PAGE = 1000;
    /** At most this many orphans are listed in a report (all are counted). */
    static final int LISTED = 1000;

    /** One object without metadata, and whether the sweep deleted it. */
    public record Orphan(String digest, long size, Instant lastModified, boolean deleted) {
    }

    /** Told about each page scanned (the sweep goes on when the answer completes) and each orphan found. */
    public interface Listener {
        Future<Void> scanned(int objects);

        void found(Orphan orphan);
    }

    private final Database database;
    private final BlobStore store;
    private final GcSettings settings;

    @Inject
    public OrphanSweep(Database database, BlobStore store, GcSettings settings) {
        this.database = database;
        this.store = store;
        this.settings = settings;
    }

    /** Scans the whole store; deletes old-enough orphans unless {@code dryRun}. */
    public Future<Void> sweep(boolean dryRun, Listener listener) {
        Digest[] after = {null};
        return Repeat.whileTrue(() -> StorageWait.bounded(store.list(after[0], PAGE), "list storage").compose(page -> {
            if (page.isEmpty()) {
                return Future.succeededFuture(false);
            }
            return sweepPage(page, dryRun, listener).map(swept -> {
                after[0] = page.get(page.size() - 1).digest();
                return page.size() == PAGE;
            });
        }));
    }

    /** Reports (and deletes, unless {@code dryRun}) the page's orphans one after the other, then the page as scanned. */
    private Future<Void> sweepPage(List<StoredBlob> page, boolean dryRun, Listener listener) {
        return described(page).compose(described -> {
            Instant oldEnough = Instant.now().minus(settings.orphanMinAge());
            List<StoredBlob> orphans = page.stream().filter(object -> !described.contains(object.digest().toString())).toList();
            return Futures.sequentially(orphans, object -> {
                String digest = object.digest().toString();
                Future<Boolean> deleted = !dryRun && object.lastModified().isBefore(oldEnough)
                        ? delete(digest)
                        : Future.succeededFuture(false);
                return deleted.map(gone -> {
                    listener.found(new Orphan(digest, object.size(), object.lastModified(), gone));
                    return gone;
                });
            });
        }).compose(reported -> listener.scanned(page.size()));
    }

    private Future<Set<String>> described(List<StoredBlob> page) {
        String[] digests = page.stream().map(blob -> blob.digest().toString()).toArray(String[]::new);
        return database.read(c -> c.preparedQuery("SELECT digest FROM blobs WHERE digest = ANY ($1::text[])")
                .execute(Tuple.tuple().addArrayOfString(digests))
                .map(rows -> {
                    Set<String> found = new HashSet<>();
                    for (Row row : rows) {
                        found.add(row.getString(0));
                    }
                    return found;
                }));
    }

    /**
     * Deletes an orphan unless, by now, a row describes it or a client relies on it. The review row is
     * taken (written when missing) and held while the bytes go (the transaction deliberately stays
     * open across that storage call): an upload of the same content marks that row before committing,
     * so it waits, then finds no bytes and stores its own.
     */
    private Future<Boolean> delete(String digest) {
        return database.<Boolean>transaction(c -> c.preparedQuery("INSERT INTO gc_blob_reviews (digest, review_after, reason)"
                        + " VALUES ($1, now(), 'orphan') ON CONFLICT (digest) DO UPDATE SET reason = gc_blob_reviews.reason"
                        + " RETURNING used_at")
                .execute(Tuple.of(digest))
                .compose(claimed -> {
                    OffsetDateTime usedAt = claimed.iterator().next().getOffsetDateTime(0);
                    if (usedAt != null && usedAt.toInstant().isAfter(Instant.now().minus(settings.safetyWindow()))) {
                        return Future.succeededFuture(false);
                    }
                    return c.preparedQuery("SELECT 1 FROM blobs WHERE digest = $1").execute(Tuple.of(digest))
                            .compose(described -> described.iterator().hasNext()
                                    ? Future.succeededFuture(false)
                                    : StorageWait.inTransaction(store.delete(Digest.parse(digest)), "delete " + digest + " from storage")
                                            .compose(deleted -> Statements.update(c,
                                                    "DELETE FROM gc_blob_reviews WHERE digest = $1", digest))
                                            .map(forgotten -> true));
                }))
                .recover(StorageWait::refusal);
    }
}
