package io.berth.api.download;

import io.berth.core.concurrent.Blocking;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file region sent by copying: a worker reads the next chunk into a direct buffer while the event
 * loop writes the one before to the socket, so reading and sending overlap. The socket write goes
 * straight from the direct buffer (no heap copy, no temporary buffer in the JDK). A buffer is reused
 * only once its write has completed, and the set goes back to {@link CopyBuffers} only once no read
 * or write holds any of it, whether the download finished or failed.
 *
 * <p>All state is touched only on the response's event loop; workers only read into the buffer they
 * were handed.
 */
final class CopyingDownload {
    private final Blocking blocking;
    private final CopyBuffers pool;
    private final ByteBuffer[] buffers;
    private final HttpServerResponse response;
    private final Path file;
    private final long end;
    private final Promise<Void> done = Promise.promise();
    private FileChannel channel;
    private long position;
    private int nextBuffer;
    private int freeBuffers;
    private boolean reading;
    private int writing;
    private Throwable failure;

    CopyingDownload(Blocking blocking, CopyBuffers pool, ByteBuffer[] buffers, HttpServerResponse response,
            Path file, long offset, long length) {
        this.blocking = blocking;
        this.pool = pool;
        this.buffers = buffers;
        this.response = response;
        this.file = file;
        this.position = offset;
        this.end = offset + length;
        this.freeBuffers = buffers.length;
    }

    Future<Void> start() {
        response.putHeader("Content-Length", String.valueOf(end - position));
        reading = true;
        blocking.run(() -> FileChannel.open(file, StandardOpenOption.READ)).onComplete(opened -> {
            reading = false;
            if (opened.failed()) {
                fail(opened.cause());
                return;
            }
            channel = opened.result();
            readNext();
        });
        return done.future();
    }

    private void readNext() {
        if (failure != null || reading || freeBuffers == 0 || position >= end) {
            return;
        }
        ByteBuffer buffer = buffers[nextBuffer];
        nextBuffer = (nextBuffer + 1) % buffers.length;
        freeBuffers--;
        reading = true;
        long at = position;
        int wanted = (int) Math.min(buffer.capacity(), end - position);
        position += wanted;
        blocking.run(() -> {
            buffer.clear().limit(wanted);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new EOFException(file + " ended before its recorded length");
                }
            }
            return buffer.flip();
        }).onComplete(read -> {
            reading = false;
            if (read.failed() || failure != null) {
                freeBuffers++;
                fail(read.failed() ? read.cause() : failure);
                return;
            }
            write(buffer);
            readNext();
        });
    }

    private void write(ByteBuffer buffer) {
        writing++;
        response.write(Buffer.buffer(Unpooled.wrappedBuffer(buffer))).onComplete(written -> {
            writing--;
            freeBuffers++;
            if (written.failed() || failure != null) {
                fail(written.failed() ? written.cause() : failure);
            } else if (position >= end && !reading && writing == 0) {
                response.end().onComplete(ended -> finish(ended.cause()));
            } else {
                readNext();
            }
        });
    }

    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        if (!reading && writing == 0) {
            finish(failure);
        }
    }

    /** Once nothing holds a buffer: closes the file, returns the buffers, and reports. */
    private void finish(Throwable cause) {
        if (done.future().isComplete()) {
            return;
        }
        pool.give(buffers);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing is lost by a failed close
            }
        }
        if (cause == null) {
            done.complete();
        } else {
            done.fail(cause);
        }
    }
}
