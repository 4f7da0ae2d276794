package io.berth.core.autoprune;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The manifests of a repository an {@code untagged_older_than} policy deletes: those nothing keeps.
 * Kept are the manifests of live tags (less the tags the run deletes before), the manifests pushed
 * within the age, and, from those, transitively: the platforms of an index, the referrers of a
 * manifest (signatures, SBOMs), and the subject of a tagged referrer. These are the references
 * garbage collection's review honours ({@code ManifestCollector}) when it deletes one of them, so
 * each chosen manifest can be deleted once those chosen with it that reference it are gone: the
 * plan is what the run deletes, and a dry run lists exactly that.
 */
@Singleton
public class UntaggedCandidates {
    private static final String SQL = """
            WITH RECURSIVE scoped AS (
              SELECT m.id, m.digest, m.subject_digest, m.pushed_at FROM manifests m WHERE m.repository_id = $1
            ), live_tags AS (
              SELECT t.manifest_id FROM tags t WHERE t.repository_id = $1
                AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT (t.name = ANY($3))
            ), edges AS (
              SELECT p.id AS from_id, c.id AS to_id FROM scoped p
                JOIN manifest_children mc ON mc.manifest_id = p.id JOIN scoped c ON c.digest = mc.child_digest
              UNION ALL
              SELECT s.id, r.id FROM scoped s JOIN scoped r ON r.subject_digest = s.digest
              UNION ALL
              SELECT r.id, s.id FROM scoped r JOIN scoped s ON s.digest = r.subject_digest
                WHERE EXISTS (SELECT 1 FROM live_tags lt WHERE lt.manifest_id = r.id)
            ), kept (id) AS (
              SELECT id FROM (SELECT manifest_id AS id FROM live_tags
                              UNION SELECT id FROM scoped WHERE pushed_at > now() - $2 * interval '1 millisecond') roots
              UNION
              SELECT e.to_id FROM kept k JOIN edges e ON e.from_id = k.id
            )
            SELECT s.id, s.digest FROM scoped s WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.id = s.id)
            ORDER BY s.pushed_at DESC, s.id DESC""";

    /** A manifest chosen for deletion. */
    record Candidate(long id, String digest) {
    }

    /**
     * The repository's untagged manifests pushed longer ago than {@code age}, as if the tags in
     * {@code deletedTags} were gone; newest first, so that indexes and referrers tend to go before
     * what they reference.
     */
    Future<List<Candidate>> find(SqlConnection c, long repositoryId, Duration age, Collection<String> deletedTags) {
        return c.preparedQuery(SQL).execute(Tuple.of(repositoryId, age.toMillis(), deletedTags.toArray(String[]::new))).map(rows -> {
            List<Candidate> found = new ArrayList<>();
            for (Row row : rows) {
                found.add(new Candidate(row.getLong(0), row.getString(1)));
            }
            return found;
        });
    }
}
