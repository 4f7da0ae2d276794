package io.berth.core.gc;

/**
 * The SQL that finds the manifests deleting untagged manifests would remove, as a common table
 * expression named {@code untagged} (columns {@code id}, {@code repository_id}, {@code digest},
 * {@code pushed_at}). Kept are the manifests reachable from a live tag: the platforms of a kept
 * index, the referrers of a kept manifest, and the subject of a tagged referrer; everything else in
 * scope is untagged. Read-only repositories are out of scope: nothing in them changes. Takes the
 * scope's namespace id as $1 (null for the whole registry); what follows numbers its own parameters from $2.
 */
final class UntaggedManifests {
    static final String CTE = """
            WITH RECURSIVE scoped AS (
              SELECT m.id, m.repository_id, m.digest, m.subject_digest, m.pushed_at
              FROM manifests m JOIN repositories rp ON rp.id = m.repository_id
              WHERE (CAST($1 AS bigint) IS NULL OR rp.namespace_id = $1) AND rp.state = 'NORMAL'
            ), edges AS (
              SELECT p.id AS from_id, c.id AS to_id FROM scoped p
                JOIN manifest_children mc ON mc.manifest_id = p.id
                JOIN scoped c ON c.repository_id = p.repository_id AND c.digest = mc.child_digest
              UNION ALL
              SELECT s.id, r.id FROM scoped s JOIN scoped r ON r.repository_id = s.repository_id AND r.subject_digest = s.digest
              UNION ALL
              SELECT r.id, s.id FROM scoped r JOIN scoped s ON s.repository_id = r.repository_id AND s.digest = r.subject_digest
                WHERE EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = r.id AND (t.expires_at IS NULL OR t.expires_at > now()))
            ), kept (id) AS (
              SELECT t.manifest_id FROM tags t JOIN scoped s ON s.id = t.manifest_id
              WHERE t.expires_at IS NULL OR t.expires_at > now()
              UNION
              SELECT e.to_id FROM kept k JOIN edges e ON e.from_id = k.id
            ), untagged AS (
              SELECT s.id, s.repository_id, s.digest, s.pushed_at FROM scoped s WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.id = s.id)
            )
            """;

    private UntaggedManifests() {
    }
}
