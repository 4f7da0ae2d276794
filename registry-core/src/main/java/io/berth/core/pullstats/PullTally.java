package io.berth.core.pullstats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pulls of one tag or manifest since the last write, and the latest one's time. Recording is a
 * compare-and-set, no lock. A write takes the count and closes the tally in one atomic step
 * ({@link #drain}), so every pull is either in what the write took or, when it came after, refused
 * here and recorded in a fresh tally: none is lost or counted twice.
 */
final class PullTally {
    private static final long DRAINED = -1;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong lastMillis = new AtomicLong();

    /**
     * Adds {@code pulls} with the latest at {@code atMillis}; false when the tally was drained meanwhile
     * (the caller records into a new one). The time is set before the count so that a drain that
     * sees the count also sees a time at least as late as the pulls it takes.
     */
    boolean add(long pulls, long atMillis) {
        // Most pulls of a busy tag fall in a millisecond already recorded: a read, no write.
        if (lastMillis.get() < atMillis) {
            lastMillis.accumulateAndGet(atMillis, Math::max);
        }
        for (;;) {
            long current = count.get();
            if (current == DRAINED) {
                return false;
            }
            if (count.compareAndSet(current, current + pulls)) {
                return true;
            }
        }
    }

    /** Takes the pulls counted so far and closes the tally to further ones. */
    long drain() {
        return count.getAndSet(DRAINED);
    }

    long lastMillis() {
        return lastMillis.get();
    }
}
