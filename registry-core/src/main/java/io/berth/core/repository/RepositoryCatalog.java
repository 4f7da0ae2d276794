package io.berth.core.repository;

import io.berth.core.auth.RepositoryFilter;
import io.berth.core.paging.Like;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.hibernate.reactive.mutiny.Mutiny;

/** Repositories as the management API lists them, with their kind, size and last change, a page at a time. */
@Singleton
public class RepositoryCatalog {

    /**
     * A page, and the Container Registry API's two counts: {@code totalCount} the repositories in the
     * listing's scope (visible, in the namespace asked for), {@code filteredCount} those of them the
     * search matches.
     */
    public record Page(List<RepositoryView> repositories, long totalCount, long filteredCount) {
    }

    /** Newest manifest first for the kind; size counts each linked blob once, plus manifest payloads. */
    private static final String VIEW = """
            SELECT n.name, r.name, r.description, r.visibility, r.state, r.created_at,
                   GREATEST(r.updated_at, (SELECT max(t.updated_at) FROM tags t WHERE t.repository_id = r.id)) AS last_modified,
                   newest.config_media_type, newest.artifact_type,
                   COALESCE((SELECT sum(b.size) FROM repository_blobs rb JOIN blobs b ON b.digest = rb.digest
                             WHERE rb.repository_id = r.id), 0)
                   + COALESCE((SELECT sum(length(m.payload)) FROM manifests m WHERE m.repository_id = r.id), 0) AS size
            FROM repositories r
            JOIN namespaces n ON n.id = r.namespace_id
            LEFT JOIN LATERAL (SELECT m.config_media_type, m.artifact_type FROM manifests m WHERE m.repository_id = r.id
                               ORDER BY m.created_at DESC, m.id DESC LIMIT 1) newest ON TRUE
            """;

    public Future<Optional<RepositoryView>> find(SqlConnection c, String name) {
        return c.preparedQuery(VIEW + " WHERE r.name = $1").execute(Tuple.of(name)).map(rows -> {
            var found = rows.iterator();
            return found.hasNext() ? Optional.of(view(found.next()::getValue)) : Optional.empty();
        });
    }

    /**
     * The same, read in the session of a settings change, so that the change answers the repository
     * as its own transaction left it.
     */
    Uni<Optional<RepositoryView>> find(Mutiny.Session session, String name) {
        return session.createNativeQuery(VIEW + " WHERE r.name = :name", Object[].class).setParameter("name", name).getResultList()
                .map(rows -> rows.stream().findFirst().map(columns -> view(index -> columns[index])));
    }

    /** The page of repositories {@code visible} admits that match {@code query} (its public flag is the caller's to apply to the filter). */
    public Future<Page> list(SqlConnection c, RepositoryFilter visible, RepositoryQuery query) {
        boolean searching = query.search() != null && !query.search().isEmpty();
        // Both statements number their parameters alike: the scope's first, then the search's.
        List<Object> parameters = new ArrayList<>();
        if (!visible.everything()) {
            parameters.add(visible.namespaceArray());
            parameters.add(visible.repositoryArray());
        }
        String scope = " WHERE " + visible.sqlCondition("r", 1);
        if (query.namespace() != null) {
            parameters.add(query.namespace());
            scope += " AND n.name = $" + parameters.size();
        }
        String search = "TRUE";
        if (searching) {
            parameters.add(Like.containing(query.search()));
            search = "r.name ILIKE $" + parameters.size() + " ESCAPE '\\'";
        }
        int limit = parameters.size() + 1;
        Tuple paged = Tuple.from(parameters).addInteger(query.limit()).addInteger(query.offset());
        // Independent reads: pipelined on the connection, one round trip for both.
        Future<RowSet<Row>> page = c.preparedQuery(VIEW + scope + (searching ? " AND " + search : "") + " ORDER BY "
                + query.sortField().column + (query.descending() ? " DESC" : " ASC") + ", r.name LIMIT $" + limit + " OFFSET $"
                + (limit + 1)).execute(paged);
        Future<RowSet<Row>> counts = c.preparedQuery("SELECT count(*), count(*) FILTER (WHERE " + search
                + ") FROM repositories r JOIN namespaces n ON n.id = r.namespace_id" + scope).execute(Tuple.from(parameters));
        return Future.all(page, counts).map(both -> {
            List<RepositoryView> repositories = new ArrayList<>();
            for (Row row : page.result()) {
                repositories.add(view(row::getValue));
            }
            Row count = counts.result().iterator().next();
            return new Page(repositories, count.getLong(0), count.getLong(1));
        });
    }

    /** A row of {@link #VIEW}, its columns by index (from a reactive row or a native query's array alike). */
    private static RepositoryView view(IntFunction<Object> column) {
        Instant created = instant(column.apply(5));
        Instant lastModified = instant(column.apply(6));
        return new RepositoryView((String) column.apply(0), (String) column.apply(1), (String) column.apply(2),
                (String) column.apply(3), (String) column.apply(4), RepositoryKind.of((String) column.apply(7), (String) column.apply(8)),
                ((Number) column.apply(9)).longValue(), created, lastModified == null ? created : lastModified);
    }

    private static Instant instant(Object timestamp) {
        return switch (timestamp) {
            case null -> null;
            case OffsetDateTime time -> time.toInstant();
            case Instant instant -> instant;
            case java.util.Date date -> date.toInstant();
            default -> throw new IllegalStateException("not a timestamp: " + timestamp.getClass().getName());
        };
    }
}
