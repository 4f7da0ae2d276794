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
 * <p>All state is touched only on the event loop that calls {@link #write}; workers only write.
 */
final class FileUploadWriter extends AbstractUploadWriter {
    static final int BATCH_BYTES = 512 * 1024;
    static final int MAX_PENDING_BYTES = 2 * 1024 * 1024;

    private record Batch(List<ByteBuffer> buffers, long bytes, Promise<Void> written) {
    }

    private final Vertx vertx;
    private final FileChannel channel;
    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    private List<ByteBuffer> filling = new ArrayList<>();
    private long fillingBytes;
    private Promise<Void> fillingWritten = Promise.promise();
    private long pendingBytes;
    private boolean writing;
    private boolean drainWanted;
    private Throwable failure;
    private Promise<Void> ended;

    FileUploadWriter(Vertx vertx, FileChannel channel) {
        this.vertx = vertx;
        this.channel = channel;
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
            batch.written().complete();
            if (drainWanted && pendingBytes < MAX_PENDING_BYTES / 2) {
                drainWanted = false;
                drained();
            }
            writeNext();
        });
    }

    private void finishIfIdle() {
        if (ended == null || writing || !queue.isEmpty() || ended.future().isComplete()) {
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
