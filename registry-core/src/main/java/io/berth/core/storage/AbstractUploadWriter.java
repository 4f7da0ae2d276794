package io.berth.core.storage;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * The stream plumbing every {@link UploadWriter} shares: callback forms of write and end, and the
 * drain and exception handlers. Writers bound their own queue in bytes, so the caller's queue size
 * setting is not used.
 */
public abstract class AbstractUploadWriter implements UploadWriter {
    private Handler<Void> drainHandler;
    private Handler<Throwable> exceptionHandler;

    @Override
    public final void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public final void end(Handler<AsyncResult<Void>> handler) {
        end().onComplete(handler);
    }

    @Override
    public final UploadWriter setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public final UploadWriter drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        return this;
    }

    @Override
    public final UploadWriter exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    /** Tells a paused producer that the queue has room again. */
    protected final void drained() {
        if (drainHandler != null) {
            drainHandler.handle(null);
        }
    }

    protected final void reportFailure(Throwable failure) {
        if (exceptionHandler != null) {
            exceptionHandler.handle(failure);
        }
    }
}
