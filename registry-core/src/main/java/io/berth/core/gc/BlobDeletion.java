package io.berth.core.gc;

import io.berth.core.domain.Digest;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.StorageUnavailableException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * The second phase of deleting a blob: its bytes leave storage, then its row (marked
 * {@code deleting} by the first phase) leaves the database. The row stays locked FOR UPDATE while
 * the bytes are deleted, so exactly one worker deletes them, and an upload of the same content
 * waits until the row is gone before committing new bytes. Idempotent: a worker that died half way
 * leaves the row marked and unlocked, and whoever comes next (a collection, or an upload of the same
 * content) finishes the job. Blocking: call from a worker thread.
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
    public OptionalLong finish(String digest) {
        return finish(digest, "");
    }

    /**
     * Finishes up to {@code limit} deletions whose workers stopped half way (rows marked but not held
     * by anyone); answers the bytes freed per blob.
     */
    public List<Long> finishAbandoned(int limit) {
        List<String> abandoned = database.read(c -> {
            List<String> digests = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT digest FROM blobs WHERE state = 'deleting' LIMIT ?")) {
                select.setInt(1, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        digests.add(rs.getString(1));
                    }
                }
            }
            return digests;
        });
        List<Long> freed = new ArrayList<>();
        for (String digest : abandoned) {
            try {
                finish(digest, " SKIP LOCKED").ifPresent(freed::add);
            } catch (StorageUnavailableException e) {
                LOG.warnf("%s stays marked for deletion, storage refused: %s", digest, e.getMessage());
            }
        }
        return freed;
    }

    private OptionalLong finish(String digest, String locking) {
        return database.transaction(c -> {
            long size;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT size FROM blobs WHERE digest = ? AND state = 'deleting' FOR UPDATE" + locking)) {
                select.setString(1, digest);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return OptionalLong.empty();
                    }
                    size = rs.getLong(1);
                }
            }
            StorageWait.await(store.delete(Digest.parse(digest)), "delete " + digest + " from storage");
            // Links made after the first phase (an upload whose safety window ran out) go with the blob.
            Statements.update(c, "DELETE FROM repository_blobs WHERE digest = ?", digest);
            Statements.update(c, "DELETE FROM blobs WHERE digest = ? AND state = 'deleting'", digest);
            return OptionalLong.of(size);
        });
    }
}
