package io.berth.core.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.account.AccountService;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the usage log of a repository (for its administrators) or of a namespace (for the
 * namespace's administrators), newest first, between two times, a page at a time: each page names
 * the next one ({@code next_page}), so paging costs the same however long the log is. Blocking.
 */
@Singleton
public class UsageLogService {
    public static final int PAGE_SIZE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final Permissions permissions;
    private final AccountService accounts;

    @Inject
    public UsageLogService(Database database, Permissions permissions, AccountService accounts) {
        this.database = database;
        this.permissions = permissions;
        this.accounts = accounts;
    }

    public record Entry(long id, String kind, String performer, String ip, String repository, Instant datetime, Map<String, Object> metadata) {
    }

    /** A page of entries and the token of the next page (null at the end). */
    public record Page(List<Entry> logs, String nextPage) {
    }

    public Page ofRepository(Principal actor, RepositoryName name, Instant start, Instant end, String nextPage) {
        permissions.require(actor, name, Action.ADMIN);
        return page("repository", name.value(), start, end, nextPage);
    }

    public Page ofNamespace(Principal actor, String namespace, Instant start, Instant end, String nextPage) {
        accounts.administeredNamespace(actor, namespace);
        return page("namespace", namespace, start, end, nextPage);
    }

    private Page page(String column, String value, Instant start, Instant end, String nextPage) {
        if (start != null && end != null && end.isBefore(start)) {
            throw ManagementException.badRequest("endtime is before starttime");
        }
        long before = nextPage == null ? Long.MAX_VALUE : parsePage(nextPage);
        return database.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT id, kind, performer, ip, repository, occurred_at, metadata::text"
                    + " FROM usage_logs WHERE " + column + " = ? AND id < ? AND occurred_at >= ? AND occurred_at < ?"
                    + " ORDER BY id DESC LIMIT ?")) {
                select.setString(1, value);
                select.setLong(2, before);
                select.setTimestamp(3, Timestamp.from(start == null ? Instant.EPOCH : start));
                select.setTimestamp(4, Timestamp.from(end == null ? Instant.parse("9999-12-31T00:00:00Z") : end));
                select.setInt(5, PAGE_SIZE + 1);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getTimestamp(6).toInstant(), metadata(rs.getString(7))));
                    }
                }
                boolean more = entries.size() > PAGE_SIZE;
                List<Entry> page = more ? entries.subList(0, PAGE_SIZE) : entries;
                return new Page(page, more ? Long.toString(page.get(page.size() - 1).id()) : null);
            }
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
