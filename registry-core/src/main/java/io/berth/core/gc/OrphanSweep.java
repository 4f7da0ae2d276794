package io.berth.core.gc;

import io.berth.core.domain.Digest;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.StoredBlob;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds objects in storage that no metadata row describes (left by a crash between storing bytes
 * and recording them, or by a failed deletion whose row went), reports them, and deletes those
 * older than the safety age. Walks the store page by page, so memory stays flat. Blocking.
 */
@Singleton
public class OrphanSweep {
    private static final int PAGE = 1000;
    /** At most this many orphans are listed in a report (all are counted). */
    static final int LISTED = 1000;

    /** One object without metadata, and whether the sweep deleted it. */
    public record Orphan(String digest, long size, Instant lastModified, boolean deleted) {
    }

    /** Told about each page scanned and each orphan found. */
    public interface Listener {
        void scanned(int objects);

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
    public void sweep(boolean dryRun, Listener listener) {
        Digest after = null;
        while (true) {
            List<StoredBlob> page = StorageWait.await(store.list(after, PAGE), "list storage");
            if (page.isEmpty()) {
                return;
            }
            Set<String> described = described(page);
            Instant oldEnough = Instant.now().minus(settings.orphanMinAge());
            for (StoredBlob object : page) {
                String digest = object.digest().toString();
                if (!described.contains(digest)) {
                    boolean deleted = !dryRun && object.lastModified().isBefore(oldEnough) && delete(digest);
                    listener.found(new Orphan(digest, object.size(), object.lastModified(), deleted));
                }
            }
            listener.scanned(page.size());
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1).digest();
        }
    }

    private Set<String> described(List<StoredBlob> page) {
        return database.read(c -> {
            Set<String> found = new HashSet<>();
            try (PreparedStatement select = c.prepareStatement("SELECT digest FROM blobs WHERE digest = ANY (?)")) {
                Array digests = c.createArrayOf("text", page.stream().map(blob -> blob.digest().toString()).toArray());
                select.setArray(1, digests);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            return found;
        });
    }

    /**
     * Deletes an orphan unless, by now, a row describes it or a client relies on it. The review row is
     * taken (written when missing) and held while the bytes go: an upload of the same content marks
     * that row before committing, so it waits, then finds no bytes and stores its own.
     */
    private boolean delete(String digest) {
        return database.transaction(c -> {
            Timestamp usedAt;
            try (PreparedStatement claim = c.prepareStatement("INSERT INTO gc_blob_reviews (digest, review_after, reason)"
                    + " VALUES (?, now(), 'orphan') ON CONFLICT (digest) DO UPDATE SET reason = gc_blob_reviews.reason"
                    + " RETURNING used_at")) {
                claim.setString(1, digest);
                try (ResultSet rs = claim.executeQuery()) {
                    rs.next();
                    usedAt = rs.getTimestamp(1);
                }
            }
            if (usedAt != null && usedAt.toInstant().isAfter(Instant.now().minus(settings.safetyWindow()))) {
                return false;
            }
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM blobs WHERE digest = ?")) {
                select.setString(1, digest);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            StorageWait.await(store.delete(Digest.parse(digest)), "delete " + digest + " from storage");
            Statements.update(c, "DELETE FROM gc_blob_reviews WHERE digest = ?", digest);
            return true;
        });
    }
}
