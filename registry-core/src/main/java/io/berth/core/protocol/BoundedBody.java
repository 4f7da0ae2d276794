package io.berth.core.protocol;

import io.berth.core.error.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Supplier;

/** Reads a request body into memory, refusing it as soon as it grows past a limit. */
public final class BoundedBody {
    private BoundedBody() {
    }

    /**
     * Collects {@code body} (which the caller paused) up to {@code maxBytes}; past that the stream is
     * paused and the result fails with {@code tooLarge}.
     */
    public static Future<Buffer> read(ReadStream<Buffer> body, long maxBytes, Supplier<RegistryException> tooLarge) {
        Promise<Buffer> promise = Promise.promise();
        Buffer content = Buffer.buffer((int) Math.min(Math.max(maxBytes, 0), 64 * 1024));
        body.handler(chunk -> {
            if (content.length() + chunk.length() > maxBytes) {
                body.pause();
                promise.tryFail(tooLarge.get());
            } else {
                content.appendBuffer(chunk);
            }
        });
        body.exceptionHandler(promise::tryFail);
        body.endHandler(ignored -> promise.tryComplete(content));
        body.resume();
        return promise.future();
    }
}
