package io.berth.storage.fs;

import io.berth.core.storage.AbstractUploadWriter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends an upload's bytes to its file in batches. Network reads arrive in pieces of a few KiB;
 * handing each piece to the worker pool separately (as a general-purpose async file does) costs more
 * CPU in task hand-offs than the write itself. One batch is written at a time on a worker thread with
 * a gathering write; while it is in flight, arriving buffers gather into the next batch (up to
 * {@link #BATCH_BYTES}), so batches grow exactly when the disk is the bottleneck.
 * Memory per upload stays bounded: above {@link #MAX_PENDING_BYTES} the writer reports its queue full
 * and the request is paused until the disk catches up.
 *
 * <p>When blobs are synced before they commit, the writer also flushes what it has written every
 * {@code flushEvery} bytes, on another worker while writing goes on. The kernel starts writing dirty
 * pages back only once they fill a share of memory (10% by default: gigabytes on a server), so otherwise the commit's fsync
 * wrote the whole blob to disk after its last byte had arrived; flushing along the way overlaps the
 * disk with the network and leaves the commit only the tail.
 *
 * <p>All state is touched only on the event loop that calls {@link #write}; workers only write and flush.
 */
final class FileUploadWriter extends AbstractUploadWriter {
    static final int BATCH_BYTES = 512 * 1024;
    static final int MAX_PENDING_BYTES = 2 * 1024 * 1024;

    private record Batch(List<ByteBuffer> buffers, long bytes, Promise<Void> written) {
    }

    private final Vertx vertx;
    private final FileChannel channel;
    /** Bytes written between two background flushes; 0 for none. */
    private final long flushEvery;
    private long unflushedBytes;
    private boolean flushing;
    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    private List<ByteBuffer> filling = new ArrayList<>();
    private long fillingBytes;
    private Promise<Void> fillingWritten = Promise.promise();
    private long pendingBytes;
    private boolean writing;
    private boolean drainWanted;
    private Throwable failure;
    private Promise<Void> ended;

    FileUploadWriter(Vertx vertx, FileChannel channel, long flushEvery) {
        this.vertx = vertx;
        this.channel = channel;
        this.flushEvery = flushEvery;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        if (ended != null) {
            return Future.failedFuture(new IllegalStateException("upload writer already ended"));
        }
        int length = data.length();
        if (length == 0) {
            return Future.succeededFuture();
        }
        filling.add(data.getByteBuf().nioBuffer());
        fillingBytes += length;
        pendingBytes += length;
        Future<Void> written = fillingWritten.future();
        // Idle: write at once. Busy: keep gathering until the batch is full or the write in flight ends.
        if (!writing || fillingBytes >= BATCH_BYTES) {
            seal();
        }
        return written;
    }

    @Override
    public Future<Void> end() {
        if (ended == null) {
            ended = Promise.promise();
            seal();
            finishIfIdle();
        }
        return ended.future();
    }

    @Override
    public boolean writeQueueFull() {
        boolean full = pendingBytes >= MAX_PENDING_BYTES;
        if (full) {
            drainWanted = true;
        }
        return full;
    }

    /** Closes the batch being filled and queues it for writing. */
    private void seal() {
        if (fillingBytes == 0) {
            return;
        }
        queue.add(new Batch(filling, fillingBytes, fillingWritten));
        filling = new ArrayList<>();
        fillingBytes = 0;
        fillingWritten = Promise.promise();
        writeNext();
    }

    private void writeNext() {
        if (writing || failure != null) {
            return;
        }
        if (queue.isEmpty() && fillingBytes > 0) {
            seal();
            return;
        }
        Batch batch = queue.poll();
        if (batch == null) {
            finishIfIdle();
            return;
        }
        writing = true;
        vertx.<Void>executeBlocking(() -> {
            ByteBuffer[] buffers = batch.buffers().toArray(ByteBuffer[]::new);
            long remaining = batch.bytes();
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            return null;
        }, false).onComplete(result -> {
            writing = false;
            if (result.failed()) {
                fail(result.cause());
                batch.written().fail(result.cause());
                return;
            }
            pendingBytes -= batch.bytes();
            unflushedBytes += batch.bytes();
            if (flushEvery > 0 && unflushedBytes >= flushEvery && !flushing) {
                flush();
            }
            batch.written().complete();
            if (drainWanted && pendingBytes < MAX_PENDING_BYTES / 2) {
                drainWanted = false;
                drained();
            }
            writeNext();
        });
    }

    /** Writes back what is written so far, without holding up the writes that follow. */
    private void flush() {
        flushing = true;
        unflushedBytes = 0;
        vertx.<Void>executeBlocking(() -> {
            channel.force(false);
            return null;
        }, false).onComplete(result -> {
            flushing = false;
            if (failure != null) {
                return;
            }
            if (result.failed()) {
                fail(result.cause());
                return;
            }
            finishIfIdle();
        });
    }

    private void finishIfIdle() {
        // A flush in flight would fail if the channel closed under it.
        if (ended == null || writing || flushing || !queue.isEmpty() || ended.future().isComplete()) {
            return;
        }
        vertx.<Void>executeBlocking(() -> {
            channel.close();
            return null;
        }, false).onComplete(closed -> {
            if (failure != null) {
                ended.tryFail(failure);
            } else if (closed.failed()) {
                ended.tryFail(closed.cause());
            } else {
                ended.tryComplete();
            }
        });
    }

    private void fail(Throwable cause) {
        failure = cause;
        queue.forEach(batch -> batch.written().tryFail(cause));
        queue.clear();
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the first error is the one reported
        }
        reportFailure(cause);
        if (ended != null) {
            ended.tryFail(cause);
        }
    }
}
