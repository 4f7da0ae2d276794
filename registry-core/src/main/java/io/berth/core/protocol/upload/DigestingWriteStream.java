package io.berth.core.protocol.upload;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Hashes and counts every buffer on its way to the storage writer, so a blob is digested in the same
 * pass that stores it and never read again. With no delegate it only hashes (re-digesting stored data).
 */
final class DigestingWriteStream implements WriteStream<Buffer> {
    private final WriteStream<Buffer> delegate;
    private final MessageDigest digest;
    private long count;

    DigestingWriteStream(WriteStream<Buffer> delegate, MessageDigest digest) {
        this.delegate = delegate;
        this.digest = digest;
    }

    long count() {
        return count;
    }

    private void consume(Buffer data) {
        ByteBuffer bytes = data.getByteBuf().nioBuffer();
        count += bytes.remaining();
        digest.update(bytes);
    }

    @Override
    public Future<Void> write(Buffer data) {
        consume(data);
        return delegate == null ? Future.succeededFuture() : delegate.write(data);
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public Future<Void> end() {
        return delegate == null ? Future.succeededFuture() : delegate.end();
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        end().onComplete(handler);
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
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
        return delegate != null && delegate.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        if (delegate != null) {
            delegate.drainHandler(handler);
        }
        return this;
    }
}
