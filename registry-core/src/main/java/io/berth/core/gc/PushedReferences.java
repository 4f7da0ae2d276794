package io.berth.core.gc;

import io.berth.core.domain.Digest;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * What a manifest push takes out of the review queues: the blobs it references, and the manifests it
 * tags or lists, are no candidates any more. One statement, run before the push locks any blob or
 * manifest row, so the push takes review rows first as collection does, and the two cannot
 * deadlock on each other.
 */
@Singleton
public class PushedReferences {

    public void forget(Connection c, long repositoryId, Collection<Digest> blobs, Collection<Digest> manifests)
            throws SQLException {
        if (blobs.isEmpty() && manifests.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement(
                "WITH referenced_blobs AS (DELETE FROM gc_blob_reviews WHERE digest = ANY (?))"
                        + " DELETE FROM gc_manifest_reviews WHERE manifest_id IN"
                        + " (SELECT id FROM manifests WHERE repository_id = ? AND digest = ANY (?))")) {
            delete.setArray(1, c.createArrayOf("text", blobs.stream().map(Digest::toString).toArray()));
            delete.setLong(2, repositoryId);
            delete.setArray(3, c.createArrayOf("text", manifests.stream().map(Digest::toString).toArray()));
            delete.executeUpdate();
        }
    }
}
