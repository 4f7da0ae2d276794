package io.berth.core.protocol.upload;

import io.berth.core.concurrent.Blocking;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Hashes and counts every buffer on its way to the storage writer, so a blob is digested in the same
 * pass that stores it and never read again. With no delegate it only hashes (re-digesting stored data).
 *
 * <p>Hashing is the costliest step of receiving a blob (SHA-256 runs at about 1 GB/s per core). Done
 * on the event loop, it made that thread the bottleneck of a push while the storage writer's worker
 * waited. So a large body is hashed on a worker, one batch at a time and in order, while the event
 * loop goes on reading and the storage writer writes the same (read-only) buffers: the three stages
 * overlap on separate cores. Buffers gather while a batch is hashed; a body that never fills a batch
 * is hashed on the event loop at its end, sparing small bodies a hand-off. The bytes awaiting the
 * hash are bounded like the storage writer's queue, and count towards {@link #writeQueueFull}.
 *
 * <p>Every buffer is also counted against the {@link UploadMemory} all uploads share, from its
 * arrival until it is both hashed and written (both happen in order, so what is held is what arrived
 * after the lesser of the two positions); while that memory is exhausted the stream reports its queue
 * full too, and drains once memory comes back.
 *
 * <p>All state is touched only on the event loop that calls {@link #write}; the worker touches only
 * the digest and the batch it was handed, one batch at a time.
 */
final class DigestingWriteStream implements WriteStream<Buffer> {
    /** Bytes hashed per hand-off to a worker; smaller bodies are hashed on the event loop at their end. */
    static final int HASH_BATCH_BYTES = 512 * 1024;
    /**
     * Bytes received but not yet hashed, above which the stream reports its queue full. Measured with
     * 16 concurrent pushes under {@code -Xmx256m}: 4 MiB per upload kept so many buffers alive that
     * young collections copied them and old-generation cycles followed (wall time 1.5 s at 2 MiB,
     * 1.7 s at 4 MiB); a single push ran no faster with the larger bound.
     */
    static final int MAX_UNHASHED_BYTES = 2 * 1024 * 1024;

    private final Blocking blocking;
    private final UploadMemory memory;
    private final WriteStream<Buffer> delegate;
    private final MessageDigest digest;
    private long count;
    private long hashedBytes;
    private long writtenBytes;
    /** Bytes given back to {@link #memory}: hashed and written. */
    private long releasedBytes;
    private boolean waitingForMemory;
    private List<ByteBuffer> gathered = new ArrayList<>();
    private long gatheredBytes;
    /** The size of the batch a worker is hashing; 0 when none is. */
    private long hashingBytes;
    private boolean drainWanted;
    private Handler<Void> drainHandler;
    private Handler<Throwable> exceptionHandler;
    /** Set by {@link #end}: completes once every byte is hashed. */
    private Promise<Void> hashed;
    private Future<Void> ended;
    private Throwable failure;

    DigestingWriteStream(Blocking blocking, UploadMemory memory, WriteStream<Buffer> delegate, MessageDigest digest) {
        this.blocking = blocking;
        this.memory = memory;
        this.delegate = delegate;
        this.digest = digest;
    }

    long count() {
        return count;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        ByteBuffer bytes = data.getByteBuf().nioBuffer();
        int length = bytes.remaining();
        count += length;
        memory.take(length);
        gathered.add(bytes);
        gatheredBytes += length;
        if (hashingBytes == 0 && gatheredBytes >= HASH_BATCH_BYTES) {
            hashGathered();
        }
        if (delegate == null) {
            return Future.succeededFuture();
        }
        Future<Void> written = delegate.write(data);
        // A failed write holds nothing either: the writer has dropped its queue.
        written.onComplete(ignored -> {
            writtenBytes += length;
            releaseSettled();
        });
        return written;
    }

    /** Gives back what is both hashed and written. */
    private void releaseSettled() {
        long settled = delegate == null ? hashedBytes : Math.min(hashedBytes, writtenBytes);
        if (settled > releasedBytes) {
            memory.give(settled - releasedBytes);
            releasedBytes = settled;
        }
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public Future<Void> end() {
        if (ended == null) {
            hashed = Promise.promise();
            ended = hashed.future().compose(ignored -> delegate == null ? Future.succeededFuture() : delegate.end());
            finishHashIfIdle();
        }
        return ended;
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        end().onComplete(handler);
    }

    /** Hands what has gathered to a worker; the next batch gathers meanwhile. */
    private void hashGathered() {
        List<ByteBuffer> batch = gathered;
        hashingBytes = gatheredBytes;
        gathered = new ArrayList<>();
        gatheredBytes = 0;
        blocking.run(() -> {
            for (ByteBuffer buffer : batch) {
                digest.update(buffer);
            }
            return null;
        }).onComplete(result -> {
            hashedBytes += hashingBytes;
            hashingBytes = 0;
            releaseSettled();
            if (result.failed()) {
                fail(result.cause());
                return;
            }
            if (gatheredBytes >= HASH_BATCH_BYTES) {
                hashGathered();
            } else {
                finishHashIfIdle();
            }
            if (drainWanted && unhashedBytes() < MAX_UNHASHED_BYTES / 2) {
                drainWanted = false;
                drainIfRoom();
            }
        });
    }

    /** Once ended with no batch in flight: hashes the short tail here and completes. */
    private void finishHashIfIdle() {
        if (hashed == null || hashingBytes > 0) {
            return;
        }
        if (failure != null) {
            hashed.tryFail(failure);
            return;
        }
        if (gatheredBytes >= HASH_BATCH_BYTES) {
            hashGathered();
            return;
        }
        for (ByteBuffer buffer : gathered) {
            digest.update(buffer);
        }
        hashedBytes += gatheredBytes;
        gathered = new ArrayList<>();
        gatheredBytes = 0;
        releaseSettled();
        hashed.tryComplete();
    }

    private long unhashedBytes() {
        return gatheredBytes + hashingBytes;
    }

    private void fail(Throwable cause) {
        failure = cause;
        // What was gathered is dropped unhashed: it is no longer held.
        hashedBytes += gatheredBytes;
        gathered = new ArrayList<>();
        gatheredBytes = 0;
        releaseSettled();
        if (exceptionHandler != null) {
            exceptionHandler.handle(cause);
        }
        finishHashIfIdle();
    }

    private void drainIfRoom() {
        if (drainHandler != null && !writeQueueFull()) {
            drainHandler.handle(null);
        }
    }

    private void memoryAvailable() {
        waitingForMemory = false;
        drainIfRoom();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        if (delegate != null) {
            delegate.exceptionHandler(handler);
        }
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        if (delegate != null) {
            delegate.setWriteQueueMaxSize(maxSize);
        }
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        // Both are asked: a full writer remembers to report its drain.
        boolean writerFull = delegate != null && delegate.writeQueueFull();
        boolean hashFull = unhashedBytes() >= MAX_UNHASHED_BYTES;
        if (hashFull) {
            drainWanted = true;
        }
        boolean memoryShort = memory.exhausted();
        if (memoryShort && !waitingForMemory) {
            waitingForMemory = true;
            memory.whenAvailable(this::memoryAvailable);
        }
        return writerFull || hashFull || memoryShort;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        if (delegate != null) {
            delegate.drainHandler(ignored -> drainIfRoom());
        }
        return this;
    }
}
