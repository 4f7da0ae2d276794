package io.berth.core.metadata;

import io.berth.core.gc.ManifestReviews;
import io.berth.core.domain.Digest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tags table: names pointing at manifests of the same repository. */
@Singleton
public class TagRecords {
    private final ManifestReviews reviews;

    @Inject
    public TagRecords(ManifestReviews reviews) {
        this.reviews = reviews;
    }

    /**
     * Points the tag at the manifest, creating or moving it (and clearing any expiry), and records
     * the move in the tag's history. The upsert locks the tag's row first, so concurrent moves of
     * one tag write their history one after the other. The manifest the tag leaves may now be
     * untagged, so it is queued for review; the caller has already taken the one it reaches out of
     * the review queue (before locking it, as collection takes the review first).
     */
    public Future<Void> put(SqlConnection c, long repositoryId, String name, long manifestId) {
        // The history is read in the same round trip as the upsert, yet after it: PostgreSQL runs a
        // connection's statements in the order sent, so the read waits for the tag's row lock and
        // sees what a concurrent move committed.
        Future<Integer> upserted = Statements.update(c, "INSERT INTO tags (repository_id, name, manifest_id) VALUES ($1, $2, $3)"
                + " ON CONFLICT (repository_id, name) DO UPDATE"
                + " SET manifest_id = EXCLUDED.manifest_id, updated_at = now(), expires_at = NULL", repositoryId, name, manifestId);
        Future<RowSet<Row>> history = c.preparedQuery("SELECT h.manifest_digest, h.manifest_digest = m.digest"
                        + " FROM tag_history h, manifests m"
                        + " WHERE h.repository_id = $1 AND h.name = $2 AND h.ended_at IS NULL AND m.id = $3")
                .execute(Tuple.of(repositoryId, name, manifestId));
        return Future.all(upserted, history).compose(ignored -> {
            var open = history.result().iterator();
            Row entry = open.hasNext() ? open.next() : null;
            if (entry != null && Boolean.TRUE.equals(entry.getBoolean(1))) {
                return Future.succeededFuture();
            }
            Future<Void> previousEnded = Future.succeededFuture();
            // Without an open entry (a new tag) there is no history to end.
            if (entry != null) {
                String previous = entry.getString(0);
                previousEnded = reviews.enqueueDigests(c, repositoryId, List.of(previous), "tag moved")
                        .compose(queued -> endHistory(c, repositoryId, name));
            }
            return previousEnded.compose(ended -> Statements.update(c,
                    "INSERT INTO tag_history (repository_id, name, manifest_digest)"
                            + " SELECT $1::bigint, $2::text, digest FROM manifests WHERE id = $3", repositoryId, name, manifestId))
                    .mapEmpty();
        });
    }

    /**
     * Deletes the tag; the manifest it pointed at may now be untagged, so it is queued for review.
     * Answers that manifest's digest, or empty when there was no such tag.
     */
    public Future<Optional<Digest>> delete(SqlConnection c, long repositoryId, String name) {
        return c.preparedQuery("DELETE FROM tags WHERE repository_id = $1 AND name = $2"
                        + " RETURNING manifest_id, (SELECT digest FROM manifests m WHERE m.id = tags.manifest_id)")
                .execute(Tuple.of(repositoryId, name))
                .compose(rows -> {
                    var deleted = rows.iterator();
                    if (!deleted.hasNext()) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    Row row = deleted.next();
                    Digest untagged = Digest.parse(row.getString(1));
                    return reviews.enqueue(c, row.getLong(0), "tag deleted")
                            .compose(queued -> endHistory(c, repositoryId, name))
                            .map(ended -> Optional.of(untagged));
                });
    }

    /** Closes the history of every tag on a manifest about to be deleted (its tags go with it). */
    public Future<Void> endHistoryOf(SqlConnection c, long repositoryId, String manifestDigest) {
        return Statements.update(c, "UPDATE tag_history SET ended_at = now() WHERE repository_id = $1 AND manifest_digest = $2"
                + " AND ended_at IS NULL", repositoryId, manifestDigest).mapEmpty();
    }

    private static Future<Void> endHistory(SqlConnection c, long repositoryId, String name) {
        return Statements.update(c, "UPDATE tag_history SET ended_at = now() WHERE repository_id = $1 AND name = $2 AND ended_at IS NULL",
                repositoryId, name).mapEmpty();
    }

    /** Names of live tags after {@code after} in lexical order, at most {@code limit}; served from the primary key index. */
    public Future<List<String>> names(SqlConnection c, long repositoryId, String after, int limit) {
        return c.preparedQuery("SELECT name FROM tags WHERE repository_id = $1 AND name > $2"
                        + " AND (expires_at IS NULL OR expires_at > now()) ORDER BY name LIMIT $3")
                .execute(Tuple.of(repositoryId, after == null ? "" : ClientText.orderBound(after), (long) limit))
                .map(TagRecords::names);
    }

    /** Names of the tags pointing at a manifest now (expired ones left out), in order. */
    public Future<List<String>> activeNamesOf(SqlConnection c, long manifestId) {
        return namesOf(c, manifestId, " AND (expires_at IS NULL OR expires_at > now()) ORDER BY name");
    }

    /** Names of the tags pointing at a manifest (to invalidate caches when it goes). */
    public Future<List<String>> namesOf(SqlConnection c, long manifestId) {
        return namesOf(c, manifestId, "");
    }

    private static Future<List<String>> namesOf(SqlConnection c, long manifestId, String condition) {
        return c.preparedQuery("SELECT name FROM tags WHERE manifest_id = $1" + condition).execute(Tuple.of(manifestId))
                .map(TagRecords::names);
    }

    private static List<String> names(RowSet<Row> rows) {
        List<String> names = new ArrayList<>();
        for (Row row : rows) {
            names.add(row.getString(0));
        }
        return names;
    }
}
