package io.berth.core.release;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.Digest;
import io.berth.core.domain.Reference;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.RegistryException;
import io.berth.core.gc.PushedReferences;
import io.berth.core.metadata.BlobRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.Statements;
import io.berth.core.metadata.TagRecords;
import io.berth.core.protocol.manifest.ManifestRules;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Copies one image (or chart) from a source repository to a target tag inside the caller's
 * transaction, without moving a byte: the blobs are linked into the target as a cross-repository
 * mount links them, the manifests (every platform of an index, and the referrers — signatures,
 * SBOMs — of any of them, transitively) are inserted into the target with the same bytes and
 * digests, and only then does the target tag name the source's digest. All of it commits together,
 * so no client ever sees the tag before what it names, nor an index before its platforms.
 *
 * <p>What a push respects, this respects: a read-only target refuses the copy, a missing namespace
 * too (unless pushes may create it), the target repository is created as a first push creates it,
 * the garbage-collection reviews of what it now references go first (the lock order of every push),
 * the blobs are locked FOR SHARE so collection cannot take them before commit, the tag's history
 * and the review of the manifest it leaves are written by the tag records a push uses, and every
 * node's caches drop the target's tag and digests. Each step is one set-based statement, sent in
 * one pipeline: an image costs a handful of round trips whatever its number of blobs.
 */
@Singleton
public class ReleaseCopy {
    static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    /** More manifests than any image with its platforms and referrers has; a bound on what one item may copy. */
    static final int MAX_MANIFESTS = 10_000;
    private static final String SERIALIZATION_FAILURE = "40001";

    /** The root manifest, the platforms it lists and every referrer of any of them, found in the source repository. */
    private static final String CLOSURE = """
            WITH RECURSIVE closure (id, digest) AS (
                SELECT id, digest FROM manifests WHERE id = $1
              UNION
                SELECT m.id, m.digest FROM closure c
                LEFT JOIN manifest_children mc ON mc.manifest_id = c.id
                JOIN manifests m ON m.repository_id = $2 AND (m.digest = mc.child_digest OR m.subject_digest = c.digest)
            ), limited AS (SELECT id, digest FROM closure LIMIT $3)
            SELECT 'manifest', id, digest FROM limited
            UNION ALL
            SELECT DISTINCT 'blob', NULL::bigint, mb.digest FROM manifest_blobs mb WHERE mb.manifest_id IN (SELECT id FROM limited)""";

    private static final String INSERT_MANIFESTS = """
            INSERT INTO manifests (repository_id, digest, media_type, artifact_type, config_media_type, config_digest, subject_digest,
                annotations, payload, config_os, config_architecture, config_variant, config_read)
            SELECT $1, digest, media_type, artifact_type, config_media_type, config_digest, subject_digest,
                annotations, payload, config_os, config_architecture, config_variant, config_read
            FROM manifests WHERE id = ANY ($2) ORDER BY id
            ON CONFLICT (repository_id, digest) DO NOTHING""";

    private static final String INSERT_BLOB_REFERENCES = """
            INSERT INTO manifest_blobs (manifest_id, digest)
            SELECT t.id, mb.digest FROM manifests s JOIN manifest_blobs mb ON mb.manifest_id = s.id
            JOIN manifests t ON t.repository_id = $1 AND t.digest = s.digest
            WHERE s.id = ANY ($2) ON CONFLICT DO NOTHING""";

    private static final String INSERT_CHILD_REFERENCES = """
            INSERT INTO manifest_children (manifest_id, child_digest)
            SELECT t.id, mc.child_digest FROM manifests s JOIN manifest_children mc ON mc.manifest_id = s.id
            JOIN manifests t ON t.repository_id = $1 AND t.digest = s.digest
            WHERE s.id = ANY ($2) ON CONFLICT DO NOTHING""";

    /** Links the blobs the source links and that are not being deleted (their rows are locked FOR SHARE just before). */
    private static final String LINK_BLOBS = """
            INSERT INTO repository_blobs (repository_id, digest)
            SELECT $1, b.digest FROM blobs b JOIN repository_blobs rb ON rb.digest = b.digest AND rb.repository_id = $2
            WHERE b.digest = ANY ($3) AND b.state = 'present' ON CONFLICT DO NOTHING""";

    private final RepositoryRecords repositories;
    private final BlobRecords blobs;
    private final TagRecords tags;
    private final PushedReferences pushedReferences;
    private final CacheInvalidations invalidations;
    private final ManifestRules rules;

    @Inject
    public ReleaseCopy(RepositoryRecords repositories, BlobRecords blobs, TagRecords tags, PushedReferences pushedReferences,
            CacheInvalidations invalidations, ManifestRules rules) {
        this.repositories = repositories;
        this.blobs = blobs;
        this.tags = tags;
        this.pushedReferences = pushedReferences;
        this.invalidations = invalidations;
        this.rules = rules;
    }

    /** What a copy did: the digest the target tag names now, and the invalidations to apply here after commit. */
    public record Copied(Digest digest, int manifests, int blobs, List<Invalidation> stale) {
    }

    /** The source root as found: its row, its digest and what kind of artifact its config says it is. */
    private record Root(long sourceRepositoryId, long id, Digest digest, String configMediaType, String artifactType) {
    }

    /** Manifests and blobs to copy. */
    private record Closure(List<Long> manifestIds, List<Digest> manifestDigests, List<Digest> blobDigests) {
    }

    /**
     * Copies {@code source} to {@code target}; a {@link ReleaseItemFailure} says why it cannot be
     * (the transaction must then roll back).
     */
    public Future<Copied> copy(SqlConnection c, ReleaseItemKind kind, RepositoryName sourceRepository, Reference source,
            RepositoryName targetRepository, Tag target) {
        String sourceName = sourceRepository + (source instanceof Reference.ByDigest ? "@" : ":") + source;
        Future<Root> root = root(c, sourceRepository, source, sourceName);
        Future<Boolean> readOnly = c.preparedQuery("SELECT 1 FROM repositories WHERE name = $1 AND state = 'READ_ONLY'")
                .execute(Tuple.of(targetRepository.value())).map(rows -> rows.iterator().hasNext());
        return Future.all(root, readOnly).compose(both -> {
            if (readOnly.result()) {
                throw new ReleaseItemFailure("target repository " + targetRepository + " is read-only");
            }
            Root found = root.result();
            if (kind == ReleaseItemKind.HELM_CHART && !HELM_CONFIG.equals(found.configMediaType())
                    && !HELM_CONFIG.equals(found.artifactType())) {
                throw new ReleaseItemFailure("source " + sourceName + " is not a Helm chart (its config is "
                        + found.configMediaType() + ")");
            }
            Future<Long> targetId = repositories.ensure(c, targetRepository).recover(failure -> failure instanceof RegistryException refused
                    ? Future.failedFuture(new ReleaseItemFailure(refused.detail()))
                    : Future.failedFuture(failure));
            Future<Closure> closure = closure(c, found, sourceName);
            return Future.all(targetId, closure)
                    .compose(ready -> link(c, found, closure.result(), targetId.result(), sourceRepository))
                    .compose(targetRootId -> tags.put(c, targetId.result(), target.value(), targetRootId))
                    .compose(tagged -> {
                        List<Invalidation> stale = new ArrayList<>();
                        stale.add(Invalidation.manifest(targetRepository.value(), target.value()));
                        closure.result().manifestDigests()
                                .forEach(digest -> stale.add(Invalidation.manifest(targetRepository.value(), digest.toString())));
                        return invalidations.publish(c, stale).map(published -> new Copied(found.digest(),
                                closure.result().manifestIds().size(), closure.result().blobDigests().size(), stale));
                    });
        });
    }

    private Future<Root> root(SqlConnection c, RepositoryName repository, Reference reference, String sourceName) {
        String sql = "SELECT r.id, m.id, m.digest, m.config_media_type, m.artifact_type FROM repositories r JOIN manifests m"
                + " ON m.repository_id = r.id" + (reference instanceof Reference.ByTag
                        ? " JOIN tags t ON t.manifest_id = m.id AND t.repository_id = r.id WHERE r.name = $1 AND t.name = $2"
                                + " AND (t.expires_at IS NULL OR t.expires_at > now())"
                        : " WHERE r.name = $1 AND m.digest = $2");
        return c.preparedQuery(sql).execute(Tuple.of(repository.value(), reference.toString())).map(rows -> {
            if (!rows.iterator().hasNext()) {
                throw new ReleaseItemFailure("source " + sourceName + " not found");
            }
            Row row = rows.iterator().next();
            return new Root(row.getLong(0), row.getLong(1), Digest.parse(row.getString(2)), row.getString(3), row.getString(4));
        });
    }

    private Future<Closure> closure(SqlConnection c, Root root, String sourceName) {
        return c.preparedQuery(CLOSURE).execute(Tuple.of(root.id(), root.sourceRepositoryId(), (long) MAX_MANIFESTS + 1)).map(rows -> {
            List<Long> ids = new ArrayList<>();
            List<Digest> manifests = new ArrayList<>();
            List<Digest> blobDigests = new ArrayList<>();
            for (Row row : rows) {
                if ("manifest".equals(row.getString(0))) {
                    ids.add(row.getLong(1));
                    manifests.add(Digest.parse(row.getString(2)));
                } else {
                    blobDigests.add(Digest.parse(row.getString(2)));
                }
            }
            if (ids.size() > MAX_MANIFESTS) {
                throw new ReleaseItemFailure("source " + sourceName + " has more than " + MAX_MANIFESTS
                        + " manifests with its platforms and referrers");
            }
            return new Closure(ids, manifests, blobDigests);
        });
    }

    /**
     * The copy proper, one pipeline in this order: the reviews go (before any row they guard is
     * locked, as a push does), the source's blobs are locked FOR SHARE, the manifests and their
     * references are inserted, the target's copies are locked FOR SHARE (a collection of an older,
     * untagged copy cannot delete it under the tag), and the blobs are linked. Answers the target's
     * id of the root manifest.
     */
    private Future<Long> link(SqlConnection c, Root root, Closure closure, long targetId, RepositoryName sourceRepository) {
        Long[] ids = closure.manifestIds().toArray(Long[]::new);
        String[] blobDigests = closure.blobDigests().stream().map(Digest::toString).toArray(String[]::new);
        String[] manifestDigests = closure.manifestDigests().stream().map(Digest::toString).toArray(String[]::new);
        Future<Void> forgotten = pushedReferences.forget(c, targetId, closure.blobDigests(), closure.manifestDigests());
        Future<Map<Digest, Long>> present = blobs.linkedSizes(c, root.sourceRepositoryId(), closure.blobDigests());
        Future<Integer> inserted = Statements.update(c, INSERT_MANIFESTS, targetId, ids);
        Future<Integer> blobReferences = Statements.update(c, INSERT_BLOB_REFERENCES, targetId, ids);
        Future<Integer> childReferences = Statements.update(c, INSERT_CHILD_REFERENCES, targetId, ids);
        Future<RowSet<Row>> copies = c.preparedQuery("SELECT id, digest FROM manifests WHERE repository_id = $1 AND digest = ANY ($2)"
                + " FOR SHARE").execute(Tuple.tuple().addLong(targetId).addArrayOfString(manifestDigests));
        Future<Integer> linked = Statements.update(c, LINK_BLOBS, targetId, root.sourceRepositoryId(), blobDigests);
        return Future.all(List.of(forgotten, present, inserted, blobReferences, childReferences, copies, linked)).map(all -> {
            TreeSet<Digest> missing = new TreeSet<>(closure.blobDigests());
            missing.removeAll(present.result().keySet());
            if (!missing.isEmpty() && !rules.allowSparse()) {
                throw new ReleaseItemFailure("blob " + missing.first() + " of the source is not in " + sourceRepository
                        + " (or is being garbage-collected)");
            }
            Map<String, Long> copied = new HashMap<>();
            for (Row row : copies.result()) {
                copied.put(row.getString(1), row.getLong(0));
            }
            if (copied.size() < manifestDigests.length) {
                // A collection deleted an older copy between the insert and the lock: the whole unit is retried.
                throw new PgException("a manifest of the target was deleted during the copy", "ERROR", SERIALIZATION_FAILURE, null);
            }
            return copied.get(root.digest().toString());
        });
    }
}
