package io.berth.core.pullstats;

import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Adds counted pulls to {@code manifests} and {@code tags}: a batch in one statement, which adds to
 * the count and keeps the later of the stored and the new time, so that the writes of several nodes
 * add up whatever their order. Each statement commits on its own.
 */
@Singleton
public class PullRecords {
    private static final String MANIFESTS = "UPDATE manifests m SET pull_count = m.pull_count + u.pulls,"
            + " last_pulled_at = greatest(m.last_pulled_at, u.at)"
            + " FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS u(id, pulls, at) WHERE m.id = u.id";
    /** A tag is found through the repository of the manifest it served when pulled. */
    private static final String TAGS = "UPDATE tags t SET pull_count = t.pull_count + u.pulls,"
            + " last_pulled_at = greatest(t.last_pulled_at, u.at)"
            + " FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::timestamptz[]) AS u(manifest_id, name, pulls, at)"
            + " JOIN manifests m ON m.id = u.manifest_id WHERE t.repository_id = m.repository_id AND t.name = u.name";

    private final Database database;

    @Inject
    public PullRecords(Database database) {
        this.database = database;
    }

    /** Answers how many manifests were still there to count them. */
    Future<Integer> addToManifests(List<PendingPulls.Drained<Long>> batch) {
        Long[] ids = new Long[batch.size()];
        Long[] pulls = new Long[batch.size()];
        OffsetDateTime[] times = new OffsetDateTime[batch.size()];
        for (int i = 0; i < ids.length; i++) {
            PendingPulls.Drained<Long> manifest = batch.get(i);
            ids[i] = manifest.key();
            pulls[i] = manifest.pulls();
            times[i] = time(manifest.lastMillis());
        }
        Tuple parameters = Tuple.tuple().addArrayOfLong(ids).addArrayOfLong(pulls).addArrayOfOffsetDateTime(times);
        return database.single(c -> c.preparedQuery(MANIFESTS).execute(parameters).map(SqlResult::rowCount));
    }

    /** Answers how many tags were still there to count them. */
    Future<Integer> addToTags(List<PendingPulls.Drained<TagPull>> batch) {
        Long[] manifests = new Long[batch.size()];
        String[] names = new String[batch.size()];
        Long[] pulls = new Long[batch.size()];
        OffsetDateTime[] times = new OffsetDateTime[batch.size()];
        for (int i = 0; i < manifests.length; i++) {
            PendingPulls.Drained<TagPull> tag = batch.get(i);
            manifests[i] = tag.key().manifestId();
            names[i] = tag.key().tag();
            pulls[i] = tag.pulls();
            times[i] = time(tag.lastMillis());
        }
        Tuple parameters = Tuple.tuple().addArrayOfLong(manifests).addArrayOfString(names).addArrayOfLong(pulls)
                .addArrayOfOffsetDateTime(times);
        return database.single(c -> c.preparedQuery(TAGS).execute(parameters).map(SqlResult::rowCount));
    }

    private static OffsetDateTime time(long millis) {
        return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
    }
}
