package io.berth.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.concurrent.Futures;
import io.berth.core.metadata.ClientText;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.ZoneOffset;
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
import java.util.concurrent.atomic.AtomicReference;
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
    private final AtomicReference<Future<Integer>> lastFlush = new AtomicReference<>(Future.succeededFuture(0));

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
     * Writes everything queued, oldest first so that entries' order follows their time, a batch of
     * up to {@value #BATCH} events per statement; answers how many were written. On failure what
     * was not written stays queued. Flushes run one after the other: when one completes, so has
     * every flush asked for before it, and everything recorded before it was asked for is written.
     */
    public Future<Integer> flush() {
        Promise<Integer> done = Promise.promise();
        lastFlush.getAndSet(done.future()).onComplete(previous -> Futures.attempt(this::writeQueued).onComplete(done));
        return done.future();
    }

    private Future<Integer> writeQueued() {
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
        List<List<UsageEvent>> batches = new ArrayList<>();
        for (int from = 0; from < pending.size(); from += BATCH) {
            batches.add(pending.subList(from, Math.min(pending.size(), from + BATCH)));
        }
        int[] written = {0};
        int taken = drained;
        return Futures.sequentially(batches, batch -> insert(batch).map(inserted -> written[0] += batch.size()))
                .map(all -> {
                    queued.addAndGet(-taken);
                    return written[0];
                })
                .recover(failure -> {
                    // Kept for the next flush: the database may be back by then.
                    queue.addAll(pending.subList(written[0], pending.size()));
                    queued.addAndGet(pending.size() - written[0] - taken);
                    return Future.failedFuture(failure);
                });
    }

    /** One batch, one transaction: the client sends all its rows at once and waits for them once. */
    private Future<Void> insert(List<UsageEvent> batch) {
        List<Tuple> rows = new ArrayList<>(batch.size());
        for (UsageEvent event : batch) {
            rows.add(Tuple.tuple().addOffsetDateTime(event.occurredAt().atOffset(ZoneOffset.UTC)).addString(event.kind())
                    .addString(event.performer()).addString(event.ip()).addString(event.namespace()).addString(event.repository())
                    .addString(json(event)));
        }
        // The details go in as text for PostgreSQL to parse: bound to a jsonb parameter, the client
        // would encode the Java string as a JSON string instead.
        return database.transaction(c -> c.preparedQuery("INSERT INTO usage_logs (occurred_at, kind, performer, ip, namespace,"
                + " repository, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb)").executeBatch(rows).mapEmpty());
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
