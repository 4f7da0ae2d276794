package io.berth.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows down the guessing of secrets where credentials are checked on a caller's behalf: past
 * {@code perName} failed checks of one name, or {@code perAddress} from one address, within a
 * window, further checks of that name or from that address are refused until the window that began
 * with the first failure has passed. A success clears the name's count (not the address's: a
 * guesser who owns one account must not reset its budget for others). Counts are per node and
 * bounded in number; this is a speed bump against online guessing, not an account lockout: a
 * refused check never says whether the secret would have been right.
 */
public class SignInThrottle {
    private static final int MAX_TRACKED = 100_000;

    private final int perName;
    private final int perAddress;
    private final Duration window;
    private final Cache<String, AtomicInteger> failures;

    public SignInThrottle(int perName, int perAddress, Duration window) {
        this.perName = perName;
        this.perAddress = perAddress;
        this.window = window;
        // Each count lives for one window from its first failure: a fixed window, not one renewed by every failure.
        this.failures = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfter(new Expiry<String, AtomicInteger>() {
            @Override
            public long expireAfterCreate(String key, AtomicInteger value, long currentTime) {
                return window.toNanos();
            }

            @Override
            public long expireAfterUpdate(String key, AtomicInteger value, long currentTime, long currentDuration) {
                return currentDuration;
            }

            @Override
            public long expireAfterRead(String key, AtomicInteger value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
    }

    /** Whether a check of {@code name} from {@code address} may go ahead now (either may be null). */
    public boolean allows(String name, String address) {
        return below(nameKey(name), perName) && below(addressKey(address), perAddress);
    }

    public void failed(String name, String address) {
        count(nameKey(name));
        count(addressKey(address));
    }

    public void succeeded(String name) {
        String key = nameKey(name);
        if (key != null) {
            failures.invalidate(key);
        }
    }

    /** How long a refused caller should wait at most: one window. */
    public Duration window() {
        return window;
    }

    private boolean below(String key, int limit) {
        if (key == null) {
            return true;
        }
        AtomicInteger count = failures.getIfPresent(key);
        return count == null || count.get() < limit;
    }

    private void count(String key) {
        if (key != null) {
            failures.get(key, ignored -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static String nameKey(String name) {
        return name == null || name.isEmpty() ? null : "name:" + name;
    }

    private static String addressKey(String address) {
        return address == null ? null : "address:" + address;
    }
}
