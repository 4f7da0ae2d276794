package io.berth.core.storage;

import io.berth.core.domain.Digest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.List;
import java.util.Optional;

/**
 * Where blob bytes live. Content is addressed by digest; uploads in progress are addressed by their
 * session id so any registry node can continue them. Metadata (which repository may serve which blob)
 * is not the store's concern: it only keeps bytes.
 *
 * <p>All operations are asynchronous and never block the calling event loop.
 */
public interface BlobStore {

    /**
     * Opens the upload's data for writing at {@code offset}, creating it when {@code offset} is 0.
     * Anything past {@code offset} (left by an interrupted chunk) is discarded first.
     */
    Future<UploadWriter> appendToUpload(String uploadId, long offset);

    /**
     * Streams the first {@code length} bytes of an upload into {@code destination} (ending it), to
     * rebuild a digest state that this node does not have.
     */
    Future<Void> copyUpload(String uploadId, long length, WriteStream<Buffer> destination);

    /**
     * Makes the first {@code size} bytes of a finished upload the content of {@code digest}. The caller
     * has verified the digest. When the content already exists, the upload is discarded instead.
     */
    Future<Void> commitUpload(String uploadId, long size, Digest digest);

    /**
     * Stores a small blob whose bytes are already in memory and verified, straight at its content
     * address, in one step. Succeeds without writing when the content already exists.
     */
    Future<Void> put(Digest digest, Buffer content);

    /** Drops an upload's data; succeeds when there is none. */
    Future<Void> abortUpload(String uploadId);

    /** Size of a stored blob, or empty when the store does not hold it. */
    Future<Optional<Long>> size(Digest digest);

    /** Opens a byte range of a stored blob for sending; fails with {@link BlobMissingException} when absent. */
    Future<BlobSource> open(Digest digest, long offset, long length);

    /**
     * The whole content of a small stored blob (an image config), read by the registry itself;
     * fails with {@link BlobMissingException} when absent and with {@link IllegalArgumentException}
     * when it is larger than {@code maxBytes}.
     */
    Future<Buffer> read(Digest digest, int maxBytes);

    /** Deletes a stored blob; succeeds when it is already gone. */
    Future<Void> delete(Digest digest);

    /**
     * One page of the stored blobs in digest order, after {@code after} (null: from the start), at most
     * {@code limit}: what garbage collection walks to find content that no metadata refers to.
     */
    Future<List<StoredBlob>> list(Digest after, int limit);

    /** Whether the store answers at all (readiness). */
    Future<Void> checkReachable();
}
