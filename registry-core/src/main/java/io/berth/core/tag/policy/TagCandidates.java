package io.berth.core.tag.policy;

import io.berth.core.domain.MediaTypes;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a tag policy weighs: every live tag of a repository in one query of three narrow
 * columns from the tags table alone (no entity, no join, no digest per row: on 10,000 tags the
 * digests alone would be most of the bytes), then the manifests of the few tags shown. Policies are
 * applied in Java, since no SQL order knows semantic versions.
 */
@Singleton
public class TagCandidates {

    /** What is shown of the manifest a chosen tag names; the payload only for an index (its platforms). */
    public record Manifest(String digest, String mediaType, byte[] indexPayload) {
    }

    /** The live (unexpired) tags of the repository, served by the tags' primary key. */
    public Future<List<TagCandidate>> live(SqlConnection c, long repositoryId) {
        return c.preparedQuery("SELECT name, updated_at, manifest_id FROM tags"
                        + " WHERE repository_id = $1 AND (expires_at IS NULL OR expires_at > now())")
                .execute(Tuple.of(repositoryId))
                .map(rows -> {
                    List<TagCandidate> tags = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        tags.add(new TagCandidate(row.getString(0), row.getOffsetDateTime(1).toInstant(), row.getLong(2)));
                    }
                    return tags;
                });
    }

    /** The given manifests of the repository, by id. */
    public Future<Map<Long, Manifest>> manifests(SqlConnection c, long repositoryId, List<Long> manifestIds) {
        if (manifestIds.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        return c.preparedQuery("SELECT id, digest, media_type, CASE WHEN media_type IN ($3, $4) THEN payload END"
                        + " FROM manifests WHERE repository_id = $1 AND id = ANY ($2)")
                .execute(Tuple.of(repositoryId).addArrayOfLong(manifestIds.toArray(Long[]::new))
                        .addString(MediaTypes.OCI_INDEX).addString(MediaTypes.DOCKER_MANIFEST_LIST))
                .map(rows -> {
                    Map<Long, Manifest> manifests = new HashMap<>();
                    for (Row row : rows) {
                        manifests.put(row.getLong(0), new Manifest(row.getString(1), row.getString(2),
                                row.getBuffer(3) == null ? null : row.getBuffer(3).getBytes()));
                    }
                    return manifests;
                });
    }
}
