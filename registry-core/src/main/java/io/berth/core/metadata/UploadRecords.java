package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The uploads table: sessions any node can continue. */
@Singleton
public class UploadRecords {

    public Future<Void> create(SqlConnection c, UUID id, long repositoryId, DigestAlgorithm algorithm) {
        return Statements.update(c, "INSERT INTO uploads (id, repository_id, digest_algorithm) VALUES ($1, $2, $3)",
                id, repositoryId, algorithm.prefix()).mapEmpty();
    }

    /**
     * Opens session {@code id} in the repository named {@code repository} with one statement, and
     * answers the repository's id; empty when the repository does not exist yet.
     */
    public Future<Optional<Long>> createIn(SqlConnection c, UUID id, String repository, DigestAlgorithm algorithm) {
        return c.preparedQuery("INSERT INTO uploads (id, repository_id, digest_algorithm)"
                        + " SELECT $1::uuid, id, $2::text FROM repositories WHERE name = $3 RETURNING repository_id")
                .execute(Tuple.of(id, algorithm.prefix(), repository))
                .map(rows -> {
                    var created = rows.iterator();
                    return created.hasNext() ? Optional.of(created.next().getLong(0)) : Optional.empty();
                });
    }

    /** The session {@code id} of the repository named {@code repository}; empty when there is no such session there. */
    public Future<Optional<UploadSession>> find(SqlConnection c, UUID id, String repository) {
        return c.preparedQuery("SELECT u.repository_id, u.received, u.digest_algorithm FROM uploads u"
                        + " JOIN repositories r ON r.id = u.repository_id WHERE u.id = $1 AND r.name = $2")
                .execute(Tuple.of(id, repository))
                .map(rows -> session(rows, id));
    }

    /** The session a statement selecting its repository id, received length and algorithm found. */
    private static Optional<UploadSession> session(RowSet<Row> rows, UUID id) {
        var found = rows.iterator();
        if (!found.hasNext()) {
            return Optional.empty();
        }
        Row row = found.next();
        return Optional.of(new UploadSession(id, row.getLong(0), row.getLong(1),
                DigestAlgorithm.byPrefix(row.getString(2)).orElseThrow()));
    }

    /**
     * Claims session {@code id} of the repository named {@code repository} for one request, in one
     * statement when it is free: the row lock makes concurrent claims queue, and each one after the
     * first finds the session claimed (or, once the first completed it, gone). Empty when the session
     * is held by another request or does not exist. A claim outlives its request only when the node
     * serving it dies; the session is then refused as busy until it is purged as stale.
     */
    public Future<Optional<UploadSession>> claim(SqlConnection c, UUID id, String repository) {
        return c.preparedQuery("UPDATE uploads u SET claimed_at = now(), updated_at = now()"
                        + " FROM repositories r WHERE u.id = $1 AND r.id = u.repository_id AND r.name = $2 AND u.claimed_at IS NULL"
                        + " RETURNING u.repository_id, u.received, u.digest_algorithm")
                .execute(Tuple.of(id, repository))
                .map(rows -> session(rows, id));
    }

    /** Gives a claimed session back as it was: its request failed before moving it on. */
    public Future<Void> release(SqlConnection c, UUID id) {
        return Statements.update(c, "UPDATE uploads SET claimed_at = NULL WHERE id = $1", id).mapEmpty();
    }

    /**
     * Moves the acknowledged length of a claimed session from {@code from} to {@code to}, releasing it
     * when {@code release}; false when the session is gone (purged meanwhile), so the chunk does not
     * count.
     */
    public Future<Boolean> advance(SqlConnection c, UUID id, long from, long to, boolean release) {
        return Statements.update(c, "UPDATE uploads SET received = $1, updated_at = now(),"
                + " claimed_at = CASE WHEN $2 THEN NULL ELSE claimed_at END WHERE id = $3 AND received = $4", to, release, id, from)
                .map(updated -> updated == 1);
    }

    /** Deletes session {@code id} of the repository named {@code repository} unless a request holds it. */
    public Future<Boolean> deleteUnclaimed(SqlConnection c, UUID id, String repository) {
        return Statements.update(c, "DELETE FROM uploads u USING repositories r"
                + " WHERE u.id = $1 AND r.id = u.repository_id AND r.name = $2 AND u.claimed_at IS NULL", id, repository)
                .map(deleted -> deleted > 0);
    }

    /**
     * Deletes up to {@code limit} sessions untouched for {@code ageMillis} and returns their ids.
     * SKIP LOCKED lets every node purge at once without waiting on each other.
     */
    public Future<List<UUID>> deleteStale(SqlConnection c, long ageMillis, int limit) {
        return c.preparedQuery("DELETE FROM uploads WHERE id IN (SELECT id FROM uploads"
                        + " WHERE updated_at < now() - $1::bigint * interval '1 millisecond'"
                        + " ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id")
                .execute(Tuple.of(ageMillis, (long) limit))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID(0));
                    }
                    return ids;
                });
    }

    /**
     * Ends session {@code id} by making its content a blob of its repository: records the blob (when
     * new) and the repository's link to it, and deletes the session row. One statement, so it commits
     * whole or not at all without a transaction around it.
     */
    public Future<Void> completeAs(SqlConnection c, UUID id, long repositoryId, Digest digest, long size) {
        return Statements.update(c, """
                WITH blob AS (INSERT INTO blobs (digest, size) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING),
                     link AS (INSERT INTO repository_blobs (repository_id, digest) VALUES ($3, $1) ON CONFLICT DO NOTHING)
                DELETE FROM uploads WHERE id = $4""", digest.toString(), size, repositoryId, id).mapEmpty();
    }

    public Future<Boolean> delete(SqlConnection c, UUID id) {
        return Statements.update(c, "DELETE FROM uploads WHERE id = $1", id).map(deleted -> deleted > 0);
    }
}
