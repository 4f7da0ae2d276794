package io.berth.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.metadata.ClientText;
import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Collects usage events without waiting for the database: pulls are logged too, and a pull must not
 * pay for an insert. Events queue in memory (bounded: past the bound they are counted as dropped)
 * and {@link #flush} writes them in batches; a node that dies loses at most what it had not
 * flushed yet (a second's worth, with the default schedule). Pulls come by the thousand per second
 * when a deployment scales out, so identical pulls (same manifest, caller and address) between two
 * flushes become one entry with a {@code count}.
 */
@Singleton
public class UsageLog {
    static final int MAX_QUEUED = 100_000;
    /** The one kind of event that is counted rather than written one by one. */
    static final String PULL = "pull_repo";
    private static final int BATCH = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final ConcurrentLinkedQueue<UsageEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    /** Pulls since the last flush, by everything but their time; the value keeps the first time and the count. */
    private final ConcurrentHashMap<UsageEvent, Tally> pulls = new ConcurrentHashMap<>();

    private record Tally(Instant first, LongAdder count) {
    }

    @Inject
    public UsageLog(Database database) {
        this.database = database;
    }

    /** Queues the event; never blocks. */
    public void record(UsageEvent event) {
        if (PULL.equals(event.kind())) {
            UsageEvent key = new UsageEvent(Instant.EPOCH, event.kind(), event.performer(), event.ip(), event.namespace(),
                    event.repository(), event.metadata());
            Tally tally = pulls.get(key);
            if (tally == null) {
                if (pulls.size() >= MAX_QUEUED) {
                    dropped.incrementAndGet();
                    return;
                }
                tally = pulls.computeIfAbsent(key, ignored -> new Tally(event.occurredAt(), new LongAdder()));
            }
            tally.count().increment();
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(event);
    }

    /** Events that did not fit in the queue since the start. */
    public long dropped() {
        return dropped.get();
    }

    public int queued() {
        return queued.get() + pulls.size();
    }

    /**
     * Writes everything queued (blocking), oldest first so that entries' order follows their time;
     * answers how many were written. On failure what was not written stays queued.
     */
    public int flush() {
        List<UsageEvent> pending = new ArrayList<>();
        for (UsageEvent key : pulls.keySet()) {
            Tally tally = pulls.remove(key);
            if (tally != null) {
                Map<String, Object> metadata = new LinkedHashMap<>(key.metadata());
                metadata.put("count", tally.count().sum());
                pending.add(new UsageEvent(tally.first(), key.kind(), key.performer(), key.ip(), key.namespace(), key.repository(),
                        metadata));
            }
        }
        int drained = 0;
        UsageEvent event;
        while ((event = queue.poll()) != null) {
            pending.add(event);
            drained++;
        }
        pending.sort(Comparator.comparing(UsageEvent::occurredAt));
        int written = 0;
        try {
            for (int from = 0; from < pending.size(); from += BATCH) {
                insert(pending.subList(from, Math.min(pending.size(), from + BATCH)));
                written = Math.min(pending.size(), from + BATCH);
            }
        } catch (RuntimeException e) {
            // Kept for the next flush: the database may be back by then.
            queue.addAll(pending.subList(written, pending.size()));
            queued.addAndGet(pending.size() - written - drained);
            throw e;
        } finally {
            if (written == pending.size()) {
                queued.addAndGet(-drained);
            }
        }
        return written;
    }

    private void insert(List<UsageEvent> batch) {
        database.transaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO usage_logs (occurred_at, kind, performer, ip, namespace,"
                    + " repository, metadata) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                for (UsageEvent event : batch) {
                    insert.setTimestamp(1, Timestamp.from(event.occurredAt()));
                    insert.setString(2, event.kind());
                    insert.setString(3, event.performer());
                    insert.setString(4, event.ip());
                    insert.setString(5, event.namespace());
                    insert.setString(6, event.repository());
                    insert.setString(7, json(event));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * Details carry what clients sent (a username that failed to sign in, the scopes asked for); one
     * U+0000 would make jsonb refuse the whole batch, and every flush after it.
     */
    private static Object recordable(Object value) {
        if (value instanceof String text) {
            return ClientText.recordable(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(ClientText.recordable(String.valueOf(key)), recordable(item)));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            List<Object> copy = new ArrayList<>();
            items.forEach(item -> copy.add(recordable(item)));
            return copy;
        }
        return value;
    }

    private static String json(UsageEvent event) {
        try {
            return JSON.writeValueAsString(event.metadata() == null ? Map.of() : recordable(event.metadata()));
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
