package io.berth.core.gc;

import io.berth.core.domain.Digest;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * What a manifest push takes out of the review queues: the blobs it references, and the manifests it
 * tags or lists, are no candidates any more. One statement, run before the push locks any blob or
 * manifest row, so the push takes review rows first as collection does, and the two cannot
 * deadlock on each other.
 */
@Singleton
public class PushedReferences {

    public Future<Void> forget(SqlConnection c, long repositoryId, Collection<Digest> blobs, Collection<Digest> manifests) {
        if (blobs.isEmpty() && manifests.isEmpty()) {
            return Future.succeededFuture();
        }
        return c.preparedQuery("WITH referenced_blobs AS (DELETE FROM gc_blob_reviews WHERE digest = ANY ($1::text[]))"
                        + " DELETE FROM gc_manifest_reviews WHERE manifest_id IN"
                        + " (SELECT id FROM manifests WHERE repository_id = $2 AND digest = ANY ($3::text[]))")
                .execute(Tuple.tuple().addArrayOfString(texts(blobs)).addLong(repositoryId).addArrayOfString(texts(manifests)))
                .mapEmpty();
    }

    private static String[] texts(Collection<Digest> digests) {
        return digests.stream().map(Digest::toString).toArray(String[]::new);
    }
}
