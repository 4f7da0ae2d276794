package io.berth.core.release;

import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.concurrent.Futures;
import io.berth.core.metadata.TagRecords;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** The target tags a release set, removed when it is deleted: only those that still name what the release copied. */
@Singleton
public class ReleaseTags {
    private final TagRecords tags;
    private final CacheInvalidations invalidations;

    @Inject
    public ReleaseTags(TagRecords tags, CacheInvalidations invalidations) {
        this.tags = tags;
        this.invalidations = invalidations;
    }

    /** A target tag and the digest the release copied there. */
    public record TargetTag(String repository, String tag, String digest) {
    }

    public record Untagged(List<TargetTag> deleted, List<TargetTag> kept) {
    }

    /**
     * Deletes each item's target tag that names the item's digest, its row locked first so a push
     * moving it meanwhile either comes before (and the tag is kept) or waits. Every node's caches
     * drop the deleted tags when this commits.
     */
    public Future<Untagged> untag(SqlConnection c, List<ReleaseRecords.Item> tagged) {
        List<TargetTag> deleted = new ArrayList<>();
        List<TargetTag> kept = new ArrayList<>();
        return Futures.sequentially(tagged, item -> c.preparedQuery("SELECT t.repository_id, m.digest FROM tags t"
                                + " JOIN repositories r ON r.id = t.repository_id JOIN manifests m ON m.id = t.manifest_id"
                                + " WHERE r.name = $1 AND t.name = $2 FOR UPDATE OF t")
                        .execute(Tuple.of(item.targetRepository(), item.targetTag()))
                        .compose(rows -> {
                            if (!rows.iterator().hasNext()) {
                                return Future.succeededFuture();
                            }
                            Row row = rows.iterator().next();
                            TargetTag tag = new TargetTag(item.targetRepository(), item.targetTag(), item.digest());
                            if (!row.getString(1).equals(item.digest())) {
                                kept.add(tag);
                                return Future.succeededFuture();
                            }
                            deleted.add(tag);
                            return tags.delete(c, row.getLong(0), item.targetTag()).mapEmpty();
                        }))
                .compose(all -> invalidations.publish(c, deleted.stream()
                        .map(tag -> Invalidation.manifest(tag.repository(), tag.tag())).toList()))
                .map(published -> new Untagged(deleted, kept));
    }
}
