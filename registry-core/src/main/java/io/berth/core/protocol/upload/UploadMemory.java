package io.berth.core.protocol.upload;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies that all uploads together hold in memory: received, but not yet both
 * hashed and handed to storage. Each upload bounds its own queue; this bounds their sum, so the heap
 * an upload needs does not grow with the number of uploads in flight. Once the sum reaches the limit,
 * uploads that ask for more are paused (their connections stop being read, which throttles the
 * clients through TCP) and resumed in the order they waited as memory comes back.
 *
 * <p>The limit can be overshot by the buffer each upload writes before it learns that memory is
 * short (a network read, at most 64 KiB), plus what a paused request still holds in Vert.x's inbound
 * queue; both are bounded per upload and small.
 */
public final class UploadMemory {
    /** Room a resumed upload is expected to take before it looks again: about one hashing batch. */
    private static final long ROOM_PER_RESUME = DigestingWriteStream.HASH_BATCH_BYTES;

    private record Waiter(Context context, Runnable resume) {
    }

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final Queue<Waiter> waiting = new ConcurrentLinkedQueue<>();

    public UploadMemory(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("upload memory limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /** The default: a quarter of the heap, which leaves the rest to everything else the registry keeps. */
    public static UploadMemory quarterOfHeap() {
        return new UploadMemory(Runtime.getRuntime().maxMemory() / 4);
    }

    public long limit() {
        return limit;
    }

    public long held() {
        return held.get();
    }

    /** Records bytes now held. Never refuses: the caller asks {@link #exhausted} before it reads more. */
    void take(long bytes) {
        held.addAndGet(bytes);
    }

    /** Records bytes no longer held, and resumes as many waiting uploads as the room allows. */
    void give(long bytes) {
        if (bytes == 0) {
            return;
        }
        long now = held.addAndGet(-bytes);
        if (now < limit && !waiting.isEmpty()) {
            resumeWaiting(now);
        }
    }

    boolean exhausted() {
        return held.get() >= limit;
    }

    /**
     * Runs {@code resume} on the caller's context once memory is available. When memory came back
     * while this waiter was being queued, it runs at once, so a wake-up is never missed.
     */
    void whenAvailable(Runnable resume) {
        waiting.add(new Waiter(Vertx.currentContext(), resume));
        if (!exhausted()) {
            resumeWaiting(held.get());
        }
    }

    private void resumeWaiting(long now) {
        long room = limit - now;
        do {
            Waiter next = waiting.poll();
            if (next == null) {
                return;
            }
            if (next.context() == null) {
                next.resume().run();
            } else {
                next.context().runOnContext(ignored -> next.resume().run());
            }
            room -= ROOM_PER_RESUME;
        } while (room > 0);
    }
}
