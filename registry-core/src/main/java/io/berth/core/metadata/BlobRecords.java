package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;

/** The blobs table and the repository links that decide which repository may serve which blob. */
@Singleton
public class BlobRecords {

    public Future<Void> link(SqlConnection c, long repositoryId, Digest digest) {
        return Statements.update(c, "INSERT INTO repository_blobs (repository_id, digest) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                repositoryId, digest.toString()).mapEmpty();
    }

    /** Records stored content no repository links (yet): collection finds it through its review. */
    public Future<Void> recordUnlinked(SqlConnection c, Digest digest, long size) {
        return Statements.update(c, "INSERT INTO blobs (digest, size) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING",
                digest.toString(), size).mapEmpty();
    }

    /** The blob's size when the repository links it; empty otherwise. */
    public Future<OptionalLong> linkedSize(SqlConnection c, long repositoryId, Digest digest) {
        return c.preparedQuery("SELECT b.size FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                        + " WHERE rb.repository_id = $1 AND rb.digest = $2 AND b.state = 'present'")
                .execute(Tuple.of(repositoryId, digest.toString()))
                .map(rows -> {
                    var found = rows.iterator();
                    return found.hasNext() ? OptionalLong.of(found.next().getLong(0)) : OptionalLong.empty();
                });
    }

    /** Whether any repository links the blob. */
    public Future<Boolean> linkedAnywhere(SqlConnection c, Digest digest) {
        return exists(c, "SELECT 1 FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                + " WHERE rb.digest = $1 AND b.state = 'present' LIMIT 1", digest);
    }

    public Future<Boolean> unlink(SqlConnection c, long repositoryId, Digest digest) {
        return Statements.update(c, "DELETE FROM repository_blobs WHERE repository_id = $1 AND digest = $2",
                repositoryId, digest.toString()).map(deleted -> deleted > 0);
    }

    /**
     * Of {@code digests}, the sizes of those the repository links and that are not being deleted; the
     * others are absent from the answer. The links and blob rows found are locked FOR SHARE, so a
     * concurrent unlink or collection waits until the referencing manifest has committed; a
     * collection that got there first has marked the blob {@code deleting}, which PostgreSQL
     * re-checks after the wait, so the blob then counts as absent.
     */
    public Future<Map<Digest, Long>> linkedSizes(SqlConnection c, long repositoryId, Collection<Digest> digests) {
        return DigestLookup.sizes(c,
                "SELECT rb.digest, b.size FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                        + " WHERE rb.repository_id = $1 AND rb.digest = ANY ($2) AND b.state = 'present' FOR SHARE",
                repositoryId, digests);
    }

    /**
     * Of {@code digests}, the sizes of those the repository links and that are not being deleted,
     * locking nothing: for checks that read and change nothing (a pull check).
     */
    public Future<Map<Digest, Long>> presentSizes(SqlConnection c, long repositoryId, Collection<Digest> digests) {
        return DigestLookup.sizes(c,
                "SELECT rb.digest, b.size FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest"
                        + " WHERE rb.repository_id = $1 AND rb.digest = ANY ($2) AND b.state = 'present'",
                repositoryId, digests);
    }

    /**
     * Whether the blob is stored and not being deleted, its row then locked FOR SHARE so that no
     * collection can mark it until the transaction ends.
     */
    public Future<Boolean> lockPresent(SqlConnection c, Digest digest) {
        return exists(c, "SELECT 1 FROM blobs WHERE digest = $1 AND state = 'present' FOR SHARE", digest);
    }

    /** Whether the blob's row is marked for deletion (its bytes may be gone or going). */
    public Future<Boolean> deleting(SqlConnection c, Digest digest) {
        return exists(c, "SELECT 1 FROM blobs WHERE digest = $1 AND state = 'deleting'", digest);
    }

    private static Future<Boolean> exists(SqlConnection c, String sql, Digest digest) {
        return c.preparedQuery(sql).execute(Tuple.of(digest.toString())).map(rows -> rows.iterator().hasNext());
    }
}
