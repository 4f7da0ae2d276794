package io.berth.storage.s3;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blocking {@link InputStream} (an object-store response body) as a Vert.x stream: each read
 * happens on a worker thread and only while the consumer has demand, so a slow client pauses the
 * download instead of filling memory. Closes the input at the end or on failure.
 */
final class InputStreamReadStream implements ReadStream<Buffer> {
    private static final int CHUNK = 256 * 1024;

    private final Context context;
    private final InputStream input;
    private Handler<Buffer> dataHandler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE;
    private boolean reading;
    private boolean done;

    InputStreamReadStream(Context context, InputStream input) {
        this.context = context;
        this.input = input;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.dataHandler = handler;
        if (handler != null) {
            readMore();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        readMore();
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        this.endHandler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    private void readMore() {
        if (reading || done || demand == 0 || dataHandler == null) {
            return;
        }
        reading = true;
        context.<byte[]>executeBlocking(() -> {
            byte[] chunk = input.readNBytes(CHUNK);
            return chunk.length == 0 ? null : chunk;
        }, false).onComplete(result -> {
            reading = false;
            if (result.failed()) {
                finish();
                if (exceptionHandler != null) {
                    exceptionHandler.handle(result.cause());
                }
                return;
            }
            byte[] chunk = result.result();
            if (chunk == null) {
                finish();
                if (endHandler != null) {
                    endHandler.handle(null);
                }
                return;
            }
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            dataHandler.handle(Buffer.buffer(chunk));
            readMore();
        });
    }

    private void finish() {
        done = true;
        try {
            input.close();
        } catch (IOException ignored) {
            // the response is complete or already failed; nothing more to read
        }
    }
}
