package io.berth.core.autoprune;

import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The autoprune_policies table. */
@Singleton
public class AutoPrunePolicies {
    private static final String COLUMNS = "p.uuid, p.namespace_id, p.repository_id, r.name, p.method, p.value, p.tag_pattern,"
            + " p.tag_pattern_matches, p.include_tag_pattern, p.exclude_tag_pattern, p.created_at, p.updated_at"
            + " FROM autoprune_policies p LEFT JOIN repositories r ON r.id = p.repository_id";

    public Future<AutoPrunePolicy> insert(SqlConnection c, long namespaceId, Long repositoryId, PolicySpec spec) {
        UUID uuid = UUID.randomUUID();
        return Statements.update(c, "INSERT INTO autoprune_policies (uuid, namespace_id, repository_id, method, value, tag_pattern,"
                        + " tag_pattern_matches, include_tag_pattern, exclude_tag_pattern) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        uuid, namespaceId, repositoryId, spec.method().wireName(), spec.value(), spec.tagPattern(), spec.tagPatternMatches(),
                        spec.includeTagPattern(), spec.excludeTagPattern())
                .compose(inserted -> find(c, uuid)).map(Optional::orElseThrow);
    }

    /** Replaces what the policy says; answers whether there was such a policy. */
    public Future<Boolean> update(SqlConnection c, UUID uuid, PolicySpec spec) {
        return Statements.update(c, "UPDATE autoprune_policies SET method = $2, value = $3, tag_pattern = $4, tag_pattern_matches = $5,"
                        + " include_tag_pattern = $6, exclude_tag_pattern = $7, updated_at = now() WHERE uuid = $1", uuid,
                        spec.method().wireName(), spec.value(), spec.tagPattern(), spec.tagPatternMatches(), spec.includeTagPattern(),
                        spec.excludeTagPattern())
                .map(updated -> updated > 0);
    }

    public Future<Boolean> delete(SqlConnection c, UUID uuid) {
        return Statements.update(c, "DELETE FROM autoprune_policies WHERE uuid = $1", uuid).map(deleted -> deleted > 0);
    }

    public Future<Optional<AutoPrunePolicy>> find(SqlConnection c, UUID uuid) {
        return c.preparedQuery("SELECT " + COLUMNS + " WHERE p.uuid = $1").execute(Tuple.of(uuid))
                .map(rows -> policies(rows).stream().findFirst());
    }

    /**
     * Policies of the namespace, in the order a run applies them: the namespace's own first, then
     * the repositories', each oldest first. With {@code repositoryId}: those that apply to that
     * repository; with {@code onlyRepository}: that repository's own alone.
     */
    public Future<List<AutoPrunePolicy>> of(SqlConnection c, long namespaceId, Long repositoryId, boolean onlyRepository) {
        String which = repositoryId == null ? "" : onlyRepository ? " AND p.repository_id = $2" : " AND (p.repository_id IS NULL OR p.repository_id = $2)";
        Tuple parameters = repositoryId == null ? Tuple.of(namespaceId) : Tuple.of(namespaceId, repositoryId);
        return c.preparedQuery("SELECT " + COLUMNS + " WHERE p.namespace_id = $1" + which
                        + " ORDER BY p.repository_id NULLS FIRST, p.created_at, p.uuid")
                .execute(parameters).map(AutoPrunePolicies::policies);
    }

    /** The namespace's own policies (not its repositories'). */
    public Future<List<AutoPrunePolicy>> ofNamespaceOnly(SqlConnection c, long namespaceId) {
        return c.preparedQuery("SELECT " + COLUMNS + " WHERE p.namespace_id = $1 AND p.repository_id IS NULL ORDER BY p.created_at, p.uuid")
                .execute(Tuple.of(namespaceId)).map(AutoPrunePolicies::policies);
    }

    private static List<AutoPrunePolicy> policies(RowSet<Row> rows) {
        List<AutoPrunePolicy> policies = new ArrayList<>();
        for (Row row : rows) {
            PolicySpec spec = new PolicySpec(PruneMethod.parse(row.getString(4)), row.getString(5), row.getString(6), row.getBoolean(7),
                    row.getString(8), row.getString(9));
            policies.add(new AutoPrunePolicy(row.getUUID(0), row.getLong(1), row.getLong(2), row.getString(3), spec,
                    row.getOffsetDateTime(10).toInstant(), row.getOffsetDateTime(11).toInstant()));
        }
        return policies;
    }
}
