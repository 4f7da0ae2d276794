package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.audit.UsageLogService;
import io.berth.core.error.ManagementException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Usage logs as Quay answers them, and the time bounds its queries take ({@code MM/DD/YYYY} in UTC, or ISO-8601). */
final class UsageLogJson {
    private static final DateTimeFormatter QUAY_DATE = DateTimeFormatter.ofPattern("MM/dd/yyyy");

    private UsageLogJson() {
    }

    public record Performer(String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Log(String kind, Performer performer, String ip, String repository, Instant datetime, Map<String, Object> metadata) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Logs(Instant start_time, Instant end_time, List<Log> logs, String next_page) {
    }

    static Logs of(UsageLogService.Page page, Instant start, Instant end) {
        return new Logs(start, end, page.logs().stream().map(entry -> new Log(entry.kind(),
                entry.performer() == null ? null : new Performer(entry.performer()), entry.ip(), entry.repository(), entry.datetime(),
                entry.metadata())).toList(), page.nextPage());
    }

    /** A time bound: {@code MM/DD/YYYY} (the start of that day in UTC; for an end bound, the end of it) or an ISO-8601 time. */
    static Instant time(String name, String value, boolean end) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value, QUAY_DATE);
            return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw ManagementException.badRequest(name + " must be MM/DD/YYYY or an ISO-8601 time");
            }
        }
    }
}
