package io.berth.core.immutability;

import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The immutability_rules table: tag patterns of a namespace, or of one repository in it. */
@Singleton
public class ImmutabilityRuleRecords {
    private static final String COLUMNS = "i.id, n.name, r.name, i.tag_pattern, i.tag_pattern_matches, i.created_at, i.created_by";
    private static final String FROM = " FROM immutability_rules i JOIN namespaces n ON n.id = i.namespace_id"
            + " LEFT JOIN repositories r ON r.id = i.repository_id";
    /** Namespace rules first, then the repository's own, each oldest first: the order refusals name the rule in. */
    private static final String ORDER = " ORDER BY i.repository_id NULLS FIRST, i.created_at, i.id";

    /** The rules that apply to the repository, with its name (none, and no name, when it does not exist). */
    public Future<RepositoryRules> ofRepository(SqlClient c, long repositoryId) {
        Future<RowSet<Row>> repository = c.preparedQuery("SELECT name FROM repositories WHERE id = $1").execute(Tuple.of(repositoryId));
        Future<List<ImmutabilityRule>> rules = c.preparedQuery("SELECT " + COLUMNS + FROM
                        + " WHERE i.namespace_id = (SELECT namespace_id FROM repositories WHERE id = $1)"
                        + " AND (i.repository_id IS NULL OR i.repository_id = $1)" + ORDER)
                .execute(Tuple.of(repositoryId)).map(ImmutabilityRuleRecords::rules);
        return Future.all(repository, rules).map(both -> {
            var found = repository.result().iterator();
            return found.hasNext() ? new RepositoryRules(found.next().getString(0), rules.result()) : RepositoryRules.NONE;
        });
    }

    /** The namespace's own rules (repositoryId null) or the repository's own. */
    public Future<List<ImmutabilityRule>> list(SqlClient c, long namespaceId, Long repositoryId) {
        return c.preparedQuery("SELECT " + COLUMNS + FROM + " WHERE i.namespace_id = $1 AND i.repository_id IS NOT DISTINCT FROM $2" + ORDER)
                .execute(Tuple.of(namespaceId, repositoryId)).map(ImmutabilityRuleRecords::rules);
    }

    public Future<Optional<ImmutabilityRule>> find(SqlClient c, long namespaceId, Long repositoryId, UUID id) {
        return c.preparedQuery("SELECT " + COLUMNS + FROM
                        + " WHERE i.id = $3 AND i.namespace_id = $1 AND i.repository_id IS NOT DISTINCT FROM $2")
                .execute(Tuple.of(namespaceId, repositoryId, id)).map(rows -> rules(rows).stream().findFirst());
    }

    /**
     * Rules of the namespace, its repositories' included, locking the namespace's row so that two
     * creations cannot both pass the count.
     */
    public Future<Long> countLockingNamespace(SqlClient c, long namespaceId) {
        return c.preparedQuery("SELECT (SELECT count(*) FROM immutability_rules WHERE namespace_id = n.id) FROM namespaces n"
                        + " WHERE n.id = $1 FOR UPDATE")
                .execute(Tuple.of(namespaceId)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Future<Void> insert(SqlClient c, UUID id, long namespaceId, Long repositoryId, TagPattern pattern, boolean matching,
            String createdBy) {
        return Statements.update(c, "INSERT INTO immutability_rules (id, namespace_id, repository_id, tag_pattern, tag_pattern_matches,"
                + " created_by) VALUES ($1, $2, $3, $4, $5, $6)", id, namespaceId, repositoryId, pattern.source(), matching, createdBy)
                .mapEmpty();
    }

    /** Answers whether there was such a rule. */
    public Future<Boolean> update(SqlClient c, long namespaceId, Long repositoryId, UUID id, TagPattern pattern, boolean matching) {
        return Statements.update(c, "UPDATE immutability_rules SET tag_pattern = $4, tag_pattern_matches = $5 WHERE id = $3"
                + " AND namespace_id = $1 AND repository_id IS NOT DISTINCT FROM $2", namespaceId, repositoryId, id, pattern.source(), matching)
                .map(updated -> updated > 0);
    }

    /** Answers whether there was such a rule. */
    public Future<Boolean> delete(SqlClient c, long namespaceId, Long repositoryId, UUID id) {
        return Statements.update(c, "DELETE FROM immutability_rules WHERE id = $3 AND namespace_id = $1"
                + " AND repository_id IS NOT DISTINCT FROM $2", namespaceId, repositoryId, id).map(deleted -> deleted > 0);
    }

    private static List<ImmutabilityRule> rules(RowSet<Row> rows) {
        List<ImmutabilityRule> rules = new ArrayList<>();
        for (Row row : rows) {
            rules.add(new ImmutabilityRule(row.getUUID(0), row.getString(1), row.getString(2), TagPattern.stored(row.getString(3)),
                    row.getBoolean(4), row.getOffsetDateTime(5).withOffsetSameInstant(ZoneOffset.UTC).toInstant(), row.getString(6)));
        }
        return rules;
    }
}
