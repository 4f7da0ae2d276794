package io.berth.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.metadata.Database;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects usage events without waiting for the database: pulls are logged too, and a pull must not
 * pay for an insert. Events queue in memory (bounded: past the bound they are counted as dropped)
 * and {@link #flush} writes them in batches; a node that dies loses at most what it had not
 * flushed yet (a second's worth, with the default schedule).
 */
@Singleton
public class UsageLog {
    static final int MAX_QUEUED = 100_000;
    private static final int BATCH = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;
    private final ConcurrentLinkedQueue<UsageEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    @Inject
    public UsageLog(Database database) {
        this.database = database;
    }

    /** Queues the event; never blocks. */
    public void record(UsageEvent event) {
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
        return queued.get();
    }

    /** Writes everything queued (blocking); answers how many were written. On failure what was not written stays queued. */
    public int flush() {
        int written = 0;
        while (true) {
            List<UsageEvent> batch = new ArrayList<>(BATCH);
            UsageEvent event;
            while (batch.size() < BATCH && (event = queue.poll()) != null) {
                batch.add(event);
            }
            if (batch.isEmpty()) {
                return written;
            }
            try {
                insert(batch);
            } catch (RuntimeException e) {
                // Kept for the next flush (the count never dropped): the database may be back by then.
                queue.addAll(batch);
                throw e;
            }
            queued.addAndGet(-batch.size());
            written += batch.size();
        }
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

    private static String json(UsageEvent event) {
        try {
            return JSON.writeValueAsString(event.metadata() == null ? java.util.Map.of() : event.metadata());
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
