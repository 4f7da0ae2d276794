package io.berth.core.storage;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** A write stream that keeps what it is given in memory; only for the small bodies of tests. */
public final class CollectingWriteStream implements WriteStream<Buffer> {
    private final Buffer bytes = Buffer.buffer();
    private Throwable failure;
    private boolean ended;

    /** One that refuses every write and its end, as a writer whose disk failed does. */
    public static CollectingWriteStream failingWith(Throwable failure) {
        CollectingWriteStream stream = new CollectingWriteStream();
        stream.failure = failure;
        return stream;
    }

    public Buffer bytes() {
        return bytes;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        bytes.appendBuffer(data);
        return Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public Future<Void> end() {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        ended = true;
        return Future.succeededFuture();
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        end().onComplete(handler);
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        return this;
    }
}
