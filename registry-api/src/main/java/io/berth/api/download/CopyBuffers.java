package io.berth.api.download;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct buffers copying downloads read into: a fixed number of sets, each enough for one
 * download, made on first use and reused. Memory for copies is therefore bounded whatever the number
 * of downloads; a download that finds no free set goes out with sendfile instead, which needs none.
 */
final class CopyBuffers {
    /** Bytes per read: large reads are what make a user-space copy fast (few system calls per byte). */
    static final int CHUNK_BYTES = 1024 * 1024;
    /** Chunks per download: one is written while the next is read. */
    static final int CHUNKS_PER_DOWNLOAD = 2;

    private final int sets;
    private final AtomicInteger made = new AtomicInteger();
    private final Queue<ByteBuffer[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inUse = new AtomicInteger();

    CopyBuffers(int sets) {
        this.sets = sets;
    }

    /** A set of buffers for one download, or null when every set is in use. */
    ByteBuffer[] take() {
        ByteBuffer[] set = free.poll();
        if (set == null) {
            if (made.incrementAndGet() > sets) {
                made.decrementAndGet();
                return null;
            }
            set = new ByteBuffer[CHUNKS_PER_DOWNLOAD];
            for (int i = 0; i < set.length; i++) {
                set[i] = ByteBuffer.allocateDirect(CHUNK_BYTES);
            }
        }
        inUse.incrementAndGet();
        return set;
    }

    void give(ByteBuffer[] set) {
        inUse.decrementAndGet();
        free.add(set);
    }

    /** Sets held by downloads now. */
    int inUse() {
        return inUse.get();
    }
}
