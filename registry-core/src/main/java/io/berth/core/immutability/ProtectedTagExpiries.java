package io.berth.core.immutability;

import io.berth.core.cache.Invalidation;
import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable tag has no expiry: an expiry would make it stop resolving and then delete it. So a
 * rule, once created or changed, takes the pending expiry off every tag it protects, in its own
 * transaction (tags already past their expiry are gone for clients and stay so). Only tags with an
 * expiry are read, and patterns are Java's, so they are matched here rather than in SQL.
 */
@Singleton
public class ProtectedTagExpiries {

    /** Clears the expiry of the tags {@code rule} protects in its scope; answers the cached references that changed. */
    public Future<List<Invalidation>> release(SqlConnection c, long namespaceId, Long repositoryId, ImmutabilityRule rule) {
        return c.preparedQuery("SELECT t.repository_id, r.name, t.name FROM tags t JOIN repositories r ON r.id = t.repository_id"
                        + " WHERE r.namespace_id = $1 AND ($2::bigint IS NULL OR t.repository_id = $2) AND t.expires_at > now()")
                .execute(Tuple.of(namespaceId, repositoryId))
                .compose(rows -> {
                    Map<Long, List<String>> protectedTags = new LinkedHashMap<>();
                    List<Invalidation> stale = new ArrayList<>();
                    for (Row row : rows) {
                        if (rule.protects(row.getString(2))) {
                            protectedTags.computeIfAbsent(row.getLong(0), id -> new ArrayList<>()).add(row.getString(2));
                            stale.add(Invalidation.manifest(row.getString(1), row.getString(2)));
                        }
                    }
                    Future<Void> cleared = Future.succeededFuture();
                    for (Map.Entry<Long, List<String>> repository : protectedTags.entrySet()) {
                        cleared = cleared.compose(done -> Statements.update(c, "UPDATE tags SET expires_at = NULL"
                                + " WHERE repository_id = $1 AND name = ANY($2)", repository.getKey(),
                                repository.getValue().toArray(String[]::new)).mapEmpty());
                    }
                    return cleared.map(done -> stale);
                });
    }
}
