package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.berth.core.domain.ParsedManifest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The manifests table and its references to blobs and child manifests. */
@Singleton
public class ManifestRecords {
    private static final String COLUMNS = "m.id, m.digest, m.media_type, m.payload, m.subject_digest";
    /** The same, with the expiry of the tag the manifest was found through. */
    private static final String TAGGED_COLUMNS = COLUMNS + ", t.expires_at";
    /** Two rounds cover a concurrent first push of the same manifest; a third, a deletion in between. */
    private static final int STORE_ROUNDS = 3;
    /** PostgreSQL's serialization failure: the transaction is retried whole. */
    private static final String SERIALIZATION_FAILURE = "40001";

    /**
     * Stores the manifest, or finds the stored one with the same bytes, and returns its id. A stored row
     * is locked FOR KEY SHARE only: enough to keep it from being deleted before the transaction ends,
     * while pushes of the same manifest under many tags at once do not queue behind each other (an
     * upsert would lock and rewrite the row for each of them). A push by digest refreshes
     * {@code pushed_at}, from which the safety window of an untagged manifest counts; a push by tag
     * needs no window, its tag keeps the manifest.
     */
    public Future<Long> store(SqlConnection c, long repositoryId, NewManifest manifest, boolean byDigest) {
        return store(c, repositoryId, manifest, byDigest, 1);
    }

    private Future<Long> store(SqlConnection c, long repositoryId, NewManifest manifest, boolean byDigest, int round) {
        if (round > STORE_ROUNDS) {
            return Future.failedFuture(new PgException("manifest " + manifest.digest() + " was neither found nor stored",
                    "ERROR", SERIALIZATION_FAILURE, null));
        }
        return lockStored(c, repositoryId, manifest, byDigest).compose(stored -> {
            if (stored.isPresent()) {
                return Future.succeededFuture(stored.get());
            }
            return insert(c, repositoryId, manifest).compose(inserted -> {
                if (inserted.isEmpty()) {
                    return store(c, repositoryId, manifest, byDigest, round + 1);
                }
                long id = inserted.get();
                // Independent of each other: sent together, in this order, in one round trip.
                return Future.all(
                        insertReferences(c, "INSERT INTO manifest_blobs (manifest_id, digest) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                id, manifest.parsed().blobs()),
                        insertReferences(c, "INSERT INTO manifest_children (manifest_id, child_digest) VALUES ($1, $2)"
                                + " ON CONFLICT DO NOTHING", id, manifest.parsed().children()))
                        .map(id);
            });
        });
    }

    private Future<Optional<Long>> lockStored(SqlConnection c, long repositoryId, NewManifest manifest, boolean byDigest) {
        String mediaType = manifest.parsed().mediaType();
        return c.preparedQuery("SELECT id, media_type FROM manifests WHERE repository_id = $1 AND digest = $2 FOR KEY SHARE")
                .execute(Tuple.of(repositoryId, manifest.digest().toString()))
                .compose(rows -> {
                    Row row = first(rows);
                    if (row == null) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    long id = row.getLong(0);
                    if (!byDigest && mediaType.equals(row.getString(1))) {
                        return Future.succeededFuture(Optional.of(id));
                    }
                    // The same bytes pushed with another media type, or by digest: the row is rewritten.
                    return Statements.update(c, "UPDATE manifests SET media_type = $1,"
                            + " pushed_at = CASE WHEN $2 THEN now() ELSE pushed_at END WHERE id = $3", mediaType, byDigest, id)
                            .map(updated -> Optional.of(id));
                });
    }

    /** Inserts the manifest; empty when a concurrent push stored it first. */
    private static Future<Optional<Long>> insert(SqlConnection c, long repositoryId, NewManifest manifest) {
        ParsedManifest parsed = manifest.parsed();
        Tuple values = Tuple.tuple()
                .addLong(repositoryId)
                .addString(manifest.digest().toString())
                .addString(parsed.mediaType())
                .addString(parsed.artifactType())
                .addString(parsed.configMediaType())
                .addString(parsed.configDigest() == null ? null : parsed.configDigest().toString())
                .addString(parsed.subject() == null ? null : parsed.subject().toString())
                .addString(parsed.annotationsJson())
                .addBuffer(Buffer.buffer(manifest.payload()));
        // The annotations go in as text for PostgreSQL to parse: bound to a jsonb parameter, the
        // client would encode the Java string as a JSON string instead.
        return c.preparedQuery("INSERT INTO manifests (repository_id, digest, media_type, artifact_type, config_media_type,"
                        + " config_digest, subject_digest, annotations, payload)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9)"
                        + " ON CONFLICT (repository_id, digest) DO NOTHING RETURNING id")
                .execute(values)
                .map(rows -> {
                    Row row = first(rows);
                    return row == null ? Optional.empty() : Optional.of(row.getLong(0));
                });
    }

    public Future<Optional<StoredManifest>> byDigest(SqlConnection c, long repositoryId, Digest digest) {
        return byDigest(c, repositoryId, digest, "");
    }

    public Future<Optional<StoredManifest>> byTag(SqlConnection c, long repositoryId, String tag) {
        return c.preparedQuery("SELECT " + TAGGED_COLUMNS + " FROM tags t JOIN manifests m ON m.id = t.manifest_id"
                        + " WHERE t.repository_id = $1 AND t.name = $2"
                        + " AND (t.expires_at IS NULL OR t.expires_at > now())")
                .execute(Tuple.of(repositoryId, tag))
                .map(rows -> single(rows, true));
    }

    /**
     * Of {@code digests}, the payload sizes of those that are manifests of the repository; the others
     * are absent from the answer. Found rows are locked FOR SHARE so they cannot be deleted before
     * the referencing index commits.
     */
    public Future<Map<Digest, Long>> storedSizes(SqlConnection c, long repositoryId, Collection<Digest> digests) {
        return DigestLookup.sizes(c,
                "SELECT digest, octet_length(payload) FROM manifests WHERE repository_id = $1 AND digest = ANY ($2) FOR SHARE",
                repositoryId, digests);
    }

    /** The manifest, its row locked until the transaction ends. */
    public Future<Optional<StoredManifest>> lock(SqlConnection c, long repositoryId, Digest digest) {
        return byDigest(c, repositoryId, digest, " FOR UPDATE");
    }

    /** The manifest, its row locked FOR SHARE: it cannot be deleted until the transaction ends. */
    public Future<Optional<StoredManifest>> share(SqlConnection c, long repositoryId, Digest digest) {
        return byDigest(c, repositoryId, digest, " FOR SHARE");
    }

    private Future<Optional<StoredManifest>> byDigest(SqlConnection c, long repositoryId, Digest digest, String locking) {
        return c.preparedQuery("SELECT " + COLUMNS + " FROM manifests m WHERE m.repository_id = $1 AND m.digest = $2" + locking)
                .execute(Tuple.of(repositoryId, digest.toString()))
                .map(rows -> single(rows, false));
    }

    /** Manifests of the repository that reference {@code digest}: indexes listing it, referrers naming it their subject. */
    public Future<Set<Digest>> referencing(SqlConnection c, long repositoryId, Digest digest) {
        return c.preparedQuery("""
                SELECT p.digest FROM manifest_children mc JOIN manifests p ON p.id = mc.manifest_id
                WHERE p.repository_id = $1 AND mc.child_digest = $2
                UNION
                SELECT r.digest FROM manifests r WHERE r.repository_id = $1 AND r.subject_digest = $2""")
                .execute(Tuple.of(repositoryId, digest.toString()))
                .map(rows -> {
                    Set<Digest> found = new HashSet<>();
                    for (Row row : rows) {
                        found.add(Digest.parse(row.getString(0)));
                    }
                    return found;
                });
    }

    /** Deletes the manifest and, through the foreign keys, its tags and references. */
    public Future<Boolean> delete(SqlConnection c, long repositoryId, Digest digest) {
        return Statements.update(c, "DELETE FROM manifests WHERE repository_id = $1 AND digest = $2", repositoryId, digest.toString())
                .map(deleted -> deleted > 0);
    }

    /** Manifests of the repository whose subject is {@code subject}, optionally of one artifact type. */
    public Future<List<ReferrerRecord>> referrers(SqlConnection c, long repositoryId, Digest subject, String artifactType) {
        if (!ClientText.storable(artifactType)) {
            return Future.succeededFuture(List.of());
        }
        // The spec's artifactType of a referrer: its own field, else (for an image manifest) the config's media type.
        String effectiveType = "COALESCE(artifact_type, config_media_type)";
        String sql = "SELECT media_type, digest, octet_length(payload), " + effectiveType + ", annotations::text"
                + " FROM manifests WHERE repository_id = $1 AND subject_digest = $2"
                + (artifactType == null ? "" : " AND " + effectiveType + " = $3")
                + " ORDER BY digest";
        Tuple parameters = Tuple.of(repositoryId, subject.toString());
        if (artifactType != null) {
            parameters.addString(artifactType);
        }
        return c.preparedQuery(sql).execute(parameters).map(rows -> {
            List<ReferrerRecord> referrers = new ArrayList<>();
            for (Row row : rows) {
                referrers.add(new ReferrerRecord(row.getString(0), row.getString(1), row.getLong(2),
                        row.getString(3), row.getString(4)));
            }
            return referrers;
        });
    }

    private static Optional<StoredManifest> single(RowSet<Row> rows, boolean throughTag) {
        Row row = first(rows);
        if (row == null) {
            return Optional.empty();
        }
        OffsetDateTime expires = throughTag ? row.getOffsetDateTime(5) : null;
        return Optional.of(new StoredManifest(row.getLong(0), Digest.parse(row.getString(1)), row.getString(2),
                row.getBuffer(3).getBytes(), row.getString(4), expires == null ? null : expires.toInstant()));
    }

    private static Row first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? iterator.next() : null;
    }

    /** One batch: the client sends every row's statement at once and waits once. */
    private static Future<Void> insertReferences(SqlConnection c, String sql, long manifestId, Set<Digest> digests) {
        if (digests.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> batch = new ArrayList<>(digests.size());
        for (Digest digest : digests) {
            batch.add(Tuple.of(manifestId, digest.toString()));
        }
        return c.preparedQuery(sql).executeBatch(batch).mapEmpty();
    }
}
