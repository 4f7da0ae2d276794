package io.berth.core.pullstats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pulls not yet written, by the key of what was pulled (a manifest, or a tag), in memory and bounded:
 * at most {@code maxKeys} keys; a pull of a key beyond them is dropped and counted in {@link #dropped}.
 * Each write drains every key, so the memory holds only what was pulled since the last write.
 */
final class PendingPulls<K> {
    /** One key's pulls as a write takes them. */
    record Drained<K>(K key, long pulls, long lastMillis) {
    }

    private final ConcurrentHashMap<K, PullTally> tallies = new ConcurrentHashMap<>();
    private final int maxKeys;
    private final LongAdder dropped;

    PendingPulls(int maxKeys, LongAdder dropped) {
        this.maxKeys = maxKeys;
        this.dropped = dropped;
    }

    /** Adds {@code pulls} of {@code key}, the latest at {@code atMillis}; never blocks. */
    void add(K key, long pulls, long atMillis) {
        for (;;) {
            PullTally tally = tallies.get(key);
            if (tally == null) {
                if (tallies.size() >= maxKeys) {
                    dropped.add(pulls);
                    return;
                }
                tally = tallies.computeIfAbsent(key, ignored -> new PullTally());
            }
            if (tally.add(pulls, atMillis)) {
                return;
            }
            // Drained by a write since it was looked up: out with it, and into a fresh one.
            tallies.remove(key, tally);
        }
    }

    /** Takes every key's pulls, in the order of {@code order} (writes lock rows in one order on every node). */
    List<Drained<K>> drain(Comparator<K> order) {
        List<Drained<K>> drained = new ArrayList<>();
        for (Map.Entry<K, PullTally> entry : tallies.entrySet()) {
            PullTally tally = entry.getValue();
            long pulls = tally.drain();
            tallies.remove(entry.getKey(), tally);
            if (pulls > 0) {
                drained.add(new Drained<>(entry.getKey(), pulls, tally.lastMillis()));
            }
        }
        drained.sort(Comparator.comparing(Drained::key, order));
        return drained;
    }

    /** Puts back what a failed write had taken, for the next one. */
    void restore(List<Drained<K>> unwritten) {
        for (Drained<K> pulls : unwritten) {
            add(pulls.key(), pulls.pulls(), pulls.lastMillis());
        }
    }

    int keys() {
        return tallies.size();
    }
}
