package io.berth.core.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.account.AccountService;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.ModelSessions;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads the usage log of a repository (for its administrators) or of a namespace (for the
 * namespace's administrators), newest first, between two times, a page at a time: each page names
 * the next one ({@code next_page}), so paging costs the same however long the log is.
 */
@Singleton
public class UsageLogService {
    public static final int PAGE_SIZE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelSessions sessions;
    private final Permissions permissions;
    private final AccountService accounts;

    @Inject
    public UsageLogService(ModelSessions sessions, Permissions permissions, AccountService accounts) {
        this.sessions = sessions;
        this.permissions = permissions;
        this.accounts = accounts;
    }

    public record Entry(long id, String kind, String performer, String ip, String repository, Instant datetime, Map<String, Object> metadata) {
    }

    /** A page of entries and the token of the next page (null at the end). */
    public record Page(List<Entry> logs, String nextPage) {
    }

    public Future<Page> ofRepository(Principal actor, RepositoryName name, Instant start, Instant end, String nextPage) {
        return permissions.require(actor, name, Action.ADMIN).compose(allowed -> page("repository", name.value(), start, end, nextPage));
    }

    public Future<Page> ofNamespace(Principal actor, String namespace, Instant start, Instant end, String nextPage) {
        return accounts.administeredNamespace(actor, namespace).compose(administered -> page("namespace", namespace, start, end, nextPage));
    }

    /** {@code attribute} is the entry's {@code repository} or {@code namespace}, each served by its own index. */
    private Future<Page> page(String attribute, String value, Instant start, Instant end, String nextPage) {
        return Futures.attempt(() -> {
            if (start != null && end != null && end.isBefore(start)) {
                throw ManagementException.badRequest("endtime is before starttime");
            }
            long before = nextPage == null ? Long.MAX_VALUE : parsePage(nextPage);
            return entries(attribute, value, before, start == null ? Instant.EPOCH : start,
                    end == null ? Instant.parse("9999-12-31T00:00:00Z") : end);
        });
    }

    private Future<Page> entries(String attribute, String value, long before, Instant start, Instant end) {
        return sessions.read(session -> session.createSelectionQuery("from UsageLogEntry e where e." + attribute + " = :value"
                        + " and e.id < :before and e.occurredAt >= :start and e.occurredAt < :end order by e.id desc", UsageLogEntry.class)
                .setParameter("value", value)
                .setParameter("before", before)
                .setParameter("start", start)
                .setParameter("end", end)
                .setMaxResults(PAGE_SIZE + 1)
                .getResultList())
                .map(found -> {
                    List<Entry> entries = found.stream().map(entry -> new Entry(entry.id(), entry.kind(), entry.performer(), entry.ip(),
                            entry.repository(), entry.occurredAt(), metadata(entry.metadata()))).toList();
                    boolean more = entries.size() > PAGE_SIZE;
                    List<Entry> page = more ? entries.subList(0, PAGE_SIZE) : entries;
                    return new Page(page, more ? Long.toString(page.get(page.size() - 1).id()) : null);
                });
    }

    private static long parsePage(String nextPage) {
        try {
            return Long.parseLong(nextPage);
        } catch (NumberFormatException e) {
            throw ManagementException.badRequest("next_page is not a page token from this API");
        }
    }

    private static Map<String, Object> metadata(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }
}
