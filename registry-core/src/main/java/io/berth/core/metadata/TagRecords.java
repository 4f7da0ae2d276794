package io.berth.core.metadata;

import io.berth.core.gc.ManifestReviews;
import io.berth.core.domain.Digest;
import io.berth.core.immutability.ImmutabilityService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tags table: names pointing at manifests of the same repository. */
@Singleton
public class TagRecords {
    private final ManifestReviews reviews;
    private final ImmutabilityService immutability;

    @Inject
    public TagRecords(ManifestReviews reviews, ImmutabilityService immutability) {
        this.reviews = reviews;
        this.immutability = immutability;
    }

    /**
     * Points the tag at the manifest, creating or moving it (and clearing any expiry), and records
     * the move in the tag's history. The upsert locks the tag's row first, so concurrent moves of
     * one tag write their history one after the other. The manifest the tag leaves may now be
     * untagged, so it is queued for review; the caller has already taken the one it reaches out of
     * the review queue (before locking it, as collection takes the review first).
     *
     * <p>An immutable tag is created once and never moved: the upsert leaves a row pointing at
     * another manifest as it is (touching none), and the transaction fails with the rule's refusal.
     * Deciding in the upsert itself, under the row's lock, lets no concurrent push slip in between.
     */
    public Future<Void> put(SqlConnection c, long repositoryId, String name, long manifestId) {
        return immutability.protectingRule(c, repositoryId, name).compose(rule -> upsert(c, repositoryId, name, manifestId, rule.isPresent())
                .map(moved -> {
                    if (!moved) {
                        throw rule.orElseThrow().refusal(": it cannot be moved to another manifest");
                    }
                    return null;
                }));
    }

    /** Answers false when an immutable tag already points at another manifest (nothing changed). */
    private Future<Boolean> upsert(SqlConnection c, long repositoryId, String name, long manifestId, boolean immutable) {
        // The history is read in the same round trip as the upsert, yet after it: PostgreSQL runs a
        // connection's statements in the order sent, so the read waits for the tag's row lock and
        // sees what a concurrent move committed.
        Future<Integer> upserted = Statements.update(c, "INSERT INTO tags (repository_id, name, manifest_id) VALUES ($1, $2, $3)"
                + " ON CONFLICT (repository_id, name) DO UPDATE"
                + " SET manifest_id = EXCLUDED.manifest_id, updated_at = now(), expires_at = NULL"
                + " WHERE NOT $4 OR tags.manifest_id = EXCLUDED.manifest_id", repositoryId, name, manifestId, immutable);
        Future<RowSet<Row>> history = c.preparedQuery("SELECT h.manifest_digest, h.manifest_digest = m.digest"
                        + " FROM tag_history h, manifests m"
                        + " WHERE h.repository_id = $1 AND h.name = $2 AND h.ended_at IS NULL AND m.id = $3")
                .execute(Tuple.of(repositoryId, name, manifestId));
        return Future.all(upserted, history).compose(ignored -> {
            if (upserted.result() == 0) {
                return Future.succeededFuture(false);
            }
            var open = history.result().iterator();
            Row entry = open.hasNext() ? open.next() : null;
            if (entry != null && Boolean.TRUE.equals(entry.getBoolean(1))) {
                return Future.succeededFuture(true);
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
                    .map(true);
        });
    }

    /**
     * Deletes the tag; the manifest it pointed at may now be untagged, so it is queued for review.
     * Answers that manifest's digest, or empty when there was no such tag. An immutable tag is not
     * deleted: the transaction fails with the rule's refusal.
     */
    public Future<Optional<Digest>> delete(SqlConnection c, long repositoryId, String name) {
        return delete(c, repositoryId, name, true);
    }

    /**
     * Deletes the tag once its expiry has passed; an immutable tag stays and loses its expiry instead
     * (immutability wins, for a tag a rule came to protect while its expiry was pending).
     */
    public Future<Optional<Digest>> deleteExpired(SqlConnection c, long repositoryId, String name) {
        return delete(c, repositoryId, name, false);
    }

    private Future<Optional<Digest>> delete(SqlConnection c, long repositoryId, String name, boolean refuseImmutable) {
        return immutability.protectingRule(c, repositoryId, name).compose(rule -> {
            if (rule.isEmpty()) {
                return deleteRow(c, repositoryId, name);
            }
            if (!refuseImmutable) {
                return Statements.update(c, "UPDATE tags SET expires_at = NULL WHERE repository_id = $1 AND name = $2", repositoryId, name)
                        .map(Optional.<Digest>empty());
            }
            return exists(c, repositoryId, name).map(found -> {
                if (found) {
                    throw rule.get().refusal(": it cannot be deleted");
                }
                return Optional.<Digest>empty();
            });
        });
    }

    /**
     * Gives the tag an expiry. An immutable tag cannot expire (that would delete it): refused with
     * the rule. Answers whether there was such a tag.
     */
    public Future<Boolean> expireAt(SqlConnection c, long repositoryId, String name, Instant expiry) {
        return immutability.protectingRule(c, repositoryId, name).compose(rule -> {
            if (rule.isPresent()) {
                throw rule.get().refusal(": it cannot be given an expiry");
            }
            return Statements.update(c, "UPDATE tags SET expires_at = $1 WHERE repository_id = $2 AND name = $3",
                    expiry.atOffset(ZoneOffset.UTC), repositoryId, name).map(updated -> updated > 0);
        });
    }

    /**
     * The names of the tags on a manifest about to be deleted with them, once no immutability rule
     * protects any of them (else the transaction fails with the rule's refusal).
     */
    public Future<List<String>> removableNamesOf(SqlConnection c, long repositoryId, long manifestId) {
        return namesOf(c, manifestId).compose(names -> immutability.requireRemovable(c, repositoryId, names).map(names));
    }

    private static Future<Boolean> exists(SqlConnection c, long repositoryId, String name) {
        return c.preparedQuery("SELECT 1 FROM tags WHERE repository_id = $1 AND name = $2").execute(Tuple.of(repositoryId, name))
                .map(rows -> rows.iterator().hasNext());
    }

    private Future<Optional<Digest>> deleteRow(SqlConnection c, long repositoryId, String name) {
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
