package io.berth.core.protocol.upload;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.UUID;

/**
 * The running digest (in the session's algorithm) of each upload this node has been writing, keyed
 * by session and valid only at the offset it was saved at. When the next chunk lands on this node
 * (the common case) hashing goes on where it stopped; when it lands elsewhere, or the state was
 * evicted, the stored data is hashed again from the start. The JDK's digest is kept (rather than a
 * serialisable one) because its SHA-256 is several times faster, and the push rate is bounded by
 * hashing.
 */
@Singleton
public class DigestStates {
    private record State(long offset, MessageDigest digest) {
    }

    private final Cache<UUID, State> states = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();

    /** Removes and returns the state saved for {@code upload} at exactly {@code offset}, or null. */
    MessageDigest take(UUID upload, long offset) {
        State state = states.asMap().remove(upload);
        return state != null && state.offset() == offset ? state.digest() : null;
    }

    void save(UUID upload, long offset, MessageDigest digest) {
        states.put(upload, new State(offset, digest));
    }

    void forget(UUID upload) {
        states.invalidate(upload);
    }
}
