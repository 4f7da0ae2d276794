package io.berth.core.accesstoken;

import io.berth.core.paging.Like;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.Mutiny.SelectionQuery;

/**
 * Access tokens of users, with the namespaces they are limited to, in the management model's
 * session. Each method's statements have run when its {@code Uni} completes, and nothing stays
 * managed by the session: a later read in the same transaction sees the database as it is then.
 */
@Singleton
public class AccessTokenRecords {

    /** A page of tokens and how many match in all. */
    public record Page(List<AccessTokenView> tokens, long totalCount) {
    }

    public Uni<Void> insert(Mutiny.Session s, UUID id, long userId, String name, byte[] secretHash, Instant expiresAt,
            boolean allNamespaces, boolean readWrite) {
        AccessToken token = new AccessToken(id, userId, name, secretHash, expiresAt, allNamespaces, readWrite);
        return s.persist(token).chain(s::flush).invoke(() -> s.detach(token));
    }

    public Uni<Void> replaceNamespaces(Mutiny.Session s, UUID id, Collection<Long> namespaceIds) {
        List<AccessTokenNamespace> rows = namespaceIds.stream().map(namespaceId -> new AccessTokenNamespace(id, namespaceId)).toList();
        return s.createMutationQuery("delete from AccessTokenNamespace where tokenId = :id").setParameter("id", id).executeUpdate()
                .chain(() -> s.persistAll(rows.toArray()))
                .chain(s::flush)
                .invoke(() -> rows.forEach(s::detach));
    }

    /** The owner's token {@code id}, locked for update when {@code lock}. */
    public Uni<Optional<AccessTokenView>> find(Mutiny.Session s, long userId, UUID id, boolean lock) {
        SelectionQuery<AccessToken> select = s.createSelectionQuery("from AccessToken t where t.id = :id and t.userId = :user",
                AccessToken.class).setParameter("id", id).setParameter("user", userId);
        if (lock) {
            select.setLockMode(LockMode.PESSIMISTIC_WRITE);
        }
        return select.getSingleResultOrNull().map(found -> Optional.ofNullable(found).map(token -> view(s, token, Instant.now())));
    }

    /** The stored hash of the owner's token {@code id}'s secret. */
    public Uni<Optional<byte[]>> secretHash(Mutiny.Session s, long userId, UUID id) {
        return s.createSelectionQuery("select t.secretHash from AccessToken t where t.id = :id and t.userId = :user", byte[].class)
                .setParameter("id", id).setParameter("user", userId).getSingleResultOrNull().map(Optional::ofNullable);
    }

    public Uni<Page> list(Mutiny.Session s, long userId, AccessTokenQuery query) {
        boolean searching = query.search() != null && !query.search().isEmpty();
        String where = " from AccessToken t where t.userId = :user"
                + (searching ? " and t.name ilike :search escape '\\'" : "")
                + (query.readWrite() != null ? " and t.readWrite = :readWrite" : "");
        String order = " order by " + query.sortField().attribute + (query.descending() ? " desc nulls last" : " asc nulls last")
                + ", t.id";
        SelectionQuery<AccessToken> select = bindFilters(s.createSelectionQuery(where + order, AccessToken.class), userId, query);
        SelectionQuery<Long> count = bindFilters(s.createSelectionQuery("select count(t)" + where, Long.class), userId, query);
        Instant now = Instant.now();
        return select.setFirstResult(query.offset()).setMaxResults(query.limit()).getResultList()
                .map(tokens -> tokens.stream().map(token -> view(s, token, now)).toList())
                .chain(tokens -> count.getSingleResult().map(total -> new Page(tokens, total)));
    }

    /** Binds the owner and filters of {@link #list}. */
    private static <R> SelectionQuery<R> bindFilters(SelectionQuery<R> query, long userId, AccessTokenQuery filters) {
        query.setParameter("user", userId);
        if (filters.search() != null && !filters.search().isEmpty()) {
            query.setParameter("search", Like.containing(filters.search()));
        }
        if (filters.readWrite() != null) {
            query.setParameter("readWrite", filters.readWrite());
        }
        return query;
    }

    public Uni<Void> update(Mutiny.Session s, UUID id, String name, Instant expiresAt, boolean allNamespaces, boolean readWrite) {
        return s.createMutationQuery("update AccessToken set name = :name, expiresAt = :expiresAt, allNamespaces = :allNamespaces, "
                        + "readWrite = :readWrite where id = :id")
                .setParameter("name", name).setParameter("expiresAt", expiresAt).setParameter("allNamespaces", allNamespaces)
                .setParameter("readWrite", readWrite).setParameter("id", id).executeUpdate().replaceWithVoid();
    }

    public Uni<Void> replaceSecret(Mutiny.Session s, UUID id, byte[] secretHash) {
        return s.createMutationQuery("update AccessToken set secretHash = :hash where id = :id")
                .setParameter("hash", secretHash).setParameter("id", id).executeUpdate().replaceWithVoid();
    }

    public Uni<Void> revoke(Mutiny.Session s, UUID id) {
        return s.createMutationQuery("update AccessToken set revokedAt = current_instant where id = :id and revokedAt is null")
                .setParameter("id", id).executeUpdate().replaceWithVoid();
    }

    private static AccessTokenView view(Mutiny.Session s, AccessToken token, Instant now) {
        s.detach(token);
        return token.view(now);
    }
}
