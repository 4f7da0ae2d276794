package io.berth.core.metadata;

import io.berth.core.auth.RepositoryFilter;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The repositories table, and the one place a repository's first push or creation meets its
 * namespace: it must exist, unless the {@link NamespacePolicy} lets the push create it.
 */
@Singleton
public class RepositoryRecords {
    private final NamespacePolicy namespaces;

    @Inject
    public RepositoryRecords(NamespacePolicy namespaces) {
        this.namespaces = namespaces;
    }

    /**
     * Finds the repository, creating it on first use in its namespace; a namespace that does not exist
     * is {@code NAME_UNKNOWN}, or is created as an organization when the policy says so.
     */
    public Future<Long> ensure(SqlConnection c, RepositoryName name) {
        return findId(c, name).compose(existing -> {
            if (existing.isPresent()) {
                return Future.succeededFuture(existing.get());
            }
            Future<Long> namespace = namespaces.createOnPush() ? ensureNamespace(c, name.namespace())
                    : existingNamespace(c, name.namespace()).map(found -> found.orElseThrow(() -> new RegistryException(
                            OciErrorCode.NAME_UNKNOWN, "namespace " + name.namespace()
                                    + " does not exist: create the organization first (POST /api/v1/organization/)")));
            return namespace
                    .compose(namespaceId -> Statements.update(c,
                            "INSERT INTO repositories (namespace_id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                            namespaceId, name.value()))
                    .compose(inserted -> findId(c, name))
                    .map(created -> created.orElseThrow(
                            () -> new MetadataUnavailableException("repository vanished while being created", null)));
        });
    }

    public Future<Optional<Long>> findId(SqlConnection c, RepositoryName name) {
        return column(c, "id", name);
    }

    /** The id of the namespace the repository belongs to. */
    public Future<Optional<Long>> namespaceOf(SqlConnection c, RepositoryName name) {
        return column(c, "namespace_id", name);
    }

    private static Future<Optional<Long>> column(SqlConnection c, String column, RepositoryName name) {
        return c.preparedQuery("SELECT " + column + " FROM repositories WHERE name = $1").execute(Tuple.of(name.value()))
                .map(RepositoryRecords::firstId);
    }

    /** Names of repositories {@code visible} admits after {@code after} in lexical order, at most {@code limit}. */
    public Future<List<String>> names(SqlConnection c, RepositoryFilter visible, String after, int limit) {
        Tuple parameters = Tuple.tuple()
                .addString(after == null ? "" : ClientText.orderBound(after))
                .addLong((long) limit);
        if (!visible.everything()) {
            parameters.addArrayOfLong(visible.namespaceArray()).addArrayOfLong(visible.repositoryArray());
        }
        return c.preparedQuery("SELECT r.name FROM repositories r WHERE r.name > $1 AND " + visible.sqlCondition("r", 3)
                        + " ORDER BY r.name LIMIT $2")
                .execute(parameters)
                .map(rows -> {
                    List<String> names = new ArrayList<>();
                    for (Row row : rows) {
                        names.add(row.getString(0));
                    }
                    return names;
                });
    }

    /** Creates the namespace as an organization (the column's default kind) unless it exists. */
    private Future<Long> ensureNamespace(SqlConnection c, String namespace) {
        return Statements.update(c, "INSERT INTO namespaces (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", namespace)
                .compose(inserted -> existingNamespace(c, namespace))
                .map(found -> found.orElseThrow(
                        () -> new MetadataUnavailableException("namespace vanished while being created", null)));
    }

    private static Future<Optional<Long>> existingNamespace(SqlConnection c, String namespace) {
        return c.preparedQuery("SELECT id FROM namespaces WHERE name = $1").execute(Tuple.of(namespace))
                .map(RepositoryRecords::firstId);
    }

    private static Optional<Long> firstId(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next().getLong(0)) : Optional.empty();
    }
}
