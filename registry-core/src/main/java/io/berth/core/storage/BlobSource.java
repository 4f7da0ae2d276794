package io.berth.core.storage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * How the bytes of a blob range reach the client: a file region (sent zero-copy), a stream, or a
 * redirect to a URL the client fetches itself (a presigned object-store URL).
 */
public sealed interface BlobSource {

    long length();

    record FileRegion(Path file, long offset, long length) implements BlobSource {
    }

    record Stream(ReadStream<Buffer> stream, long length) implements BlobSource {
    }

    record Redirect(String url, long length) implements BlobSource {
    }
}
