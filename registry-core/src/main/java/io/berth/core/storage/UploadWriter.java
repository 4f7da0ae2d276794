package io.berth.core.storage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * The write side of an upload's data. Ending the stream makes everything written durable enough
 * for the next chunk (possibly on another node) to continue from the new end.
 */
public interface UploadWriter extends WriteStream<Buffer> {
}
