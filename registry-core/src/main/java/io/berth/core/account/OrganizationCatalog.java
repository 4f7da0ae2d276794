package io.berth.core.account;

import io.berth.core.paging.Like;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.reactive.mutiny.Mutiny.SelectionQuery;

/** Organizations with their sizes, a page at a time, in the management model's session. */
@Singleton
public class OrganizationCatalog {

    public record Page(List<OrganizationView> organizations, long totalCount) {
    }

    public enum SortField {
        NAME("o.name"), CREATED_AT("o.createdAt"), SIZE("o.size");

        /** The attribute of {@link OrganizationSummary} ordered by. */
        final String attribute;

        SortField(String attribute) {
            this.attribute = attribute;
        }

        public static SortField parse(String value) {
            return switch (value == null ? "name" : value) {
                case "name" -> NAME;
                case "createdAt" -> CREATED_AT;
                case "size" -> SIZE;
                default -> throw io.berth.core.error.ManagementException.badRequest("sort_field must be one of name, createdAt, size");
            };
        }
    }

    public Uni<Optional<OrganizationView>> find(Mutiny.Session s, String name) {
        return s.createSelectionQuery("from OrganizationSummary o where o.kind = 'organization' and o.name = :name",
                OrganizationSummary.class).setParameter("name", name).getSingleResultOrNull()
                .map(found -> Optional.ofNullable(found).map(organization -> AccountRecords.detached(s, organization).view()));
    }

    /** Organizations {@code memberId} belongs to (all when null), matching {@code search}. */
    public Uni<Page> list(Mutiny.Session s, Long memberId, String search, SortField sortField, boolean descending, int limit,
            int offset) {
        boolean searching = search != null && !search.isEmpty();
        String where = " where o.kind = 'organization'"
                + (memberId == null ? "" : " and o.id in (select m.namespaceId from Membership m where m.userId = :member)")
                + (searching ? " and o.name like :search escape '\\'" : "");
        SelectionQuery<OrganizationSummary> select = bind(s.createSelectionQuery("from OrganizationSummary o" + where
                + " order by " + sortField.attribute + (descending ? " desc" : " asc") + ", o.name", OrganizationSummary.class),
                memberId, searching ? search : null);
        SelectionQuery<Long> count = bind(s.createSelectionQuery("select count(o) from OrganizationSummary o" + where, Long.class),
                memberId, searching ? search : null);
        return select.setFirstResult(offset).setMaxResults(limit).getResultList()
                .map(found -> found.stream().map(organization -> AccountRecords.detached(s, organization).view()).toList())
                .chain(organizations -> count.getSingleResult().map(total -> new Page(organizations, total)));
    }

    private static <R> SelectionQuery<R> bind(SelectionQuery<R> query, Long memberId, String search) {
        if (memberId != null) {
            query.setParameter("member", memberId);
        }
        if (search != null) {
            query.setParameter("search", Like.containing(search));
        }
        return query;
    }
}
