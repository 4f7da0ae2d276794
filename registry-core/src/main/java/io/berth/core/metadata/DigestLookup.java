package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Looks many digests of a repository up in one round trip. */
final class DigestLookup {
    private DigestLookup() {
    }

    /**
     * Runs {@code sql} (taking the repository id as $1 and a text array of digests as $2, selecting
     * each digest it finds with its size) and returns the sizes found; digests not found are not in the map.
     */
    static Future<Map<Digest, Long>> sizes(SqlClient c, String sql, long repositoryId, Collection<Digest> digests) {
        if (digests.isEmpty()) {
            return Future.succeededFuture(new HashMap<>());
        }
        String[] texts = digests.stream().map(Digest::toString).toArray(String[]::new);
        return c.preparedQuery(sql).execute(Tuple.of(repositoryId).addArrayOfString(texts)).map(rows -> {
            Map<Digest, Long> found = new HashMap<>();
            for (Row row : rows) {
                found.put(Digest.parse(row.getString(0)), row.getLong(1));
            }
            return found;
        });
    }
}
