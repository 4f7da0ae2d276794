package io.berth.core.protocol.upload;

import io.berth.core.concurrent.Blocking;
import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.BlobRecords;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.UploadRecords;
import io.berth.core.metadata.UploadSession;
import io.berth.core.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;

/**
 * Blob uploads: sessions in PostgreSQL, data in the blob store, digest computed while the bytes
 * stream through. A finished upload is verified, committed to its content address, then recorded
 * with its repository link in one transaction; a failed one leaves nothing behind.
 */
@Singleton
public class UploadService {
    private final Blocking blocking;
    private final Database database;
    private final RepositoryRecords repositories;
    private final BlobRecords blobs;
    private final UploadRecords uploads;
    private final BlobStore store;
    private final DigestStates digestStates;

    @Inject
    public UploadService(Blocking blocking, Database database, RepositoryRecords repositories, BlobRecords blobs,
            UploadRecords uploads, BlobStore store, DigestStates digestStates) {
        this.blocking = blocking;
        this.database = database;
        this.repositories = repositories;
        this.blobs = blobs;
        this.uploads = uploads;
        this.store = store;
        this.digestStates = digestStates;
    }

    /** Opens a session, creating the repository on its first push. */
    public Future<UploadSession> start(RepositoryName name) {
        UUID id = UUID.randomUUID();
        return blocking.run(() -> database.transaction(c -> {
            long repositoryId = repositories.ensure(c, name);
            uploads.create(c, id, repositoryId);
            return new UploadSession(id, repositoryId, 0);
        }));
    }

    public Future<UploadSession> find(RepositoryName name, String uploadId) {
        UUID id = parseId(uploadId);
        return blocking.run(() -> database.read(c -> {
            Optional<Long> repositoryId = repositories.findId(c, name);
            if (repositoryId.isEmpty()) {
                throw unknown(uploadId);
            }
            return uploads.find(c, id, repositoryId.get()).orElseThrow(() -> unknown(uploadId));
        }));
    }

    /**
     * Appends {@code body} at the session's current end. {@code declaredLength} is the request's
     * Content-Length (or -1); a body of another length is {@code SIZE_INVALID} and is not kept.
     * The caller must have paused {@code body}; piping resumes it with back-pressure.
     */
    public Future<UploadSession> append(UploadSession session, ReadStream<Buffer> body, long declaredLength) {
        MessageDigest saved = digestStates.take(session.id(), session.received());
        Future<MessageDigest> ready = saved != null ? Future.succeededFuture(saved) : digestOf(session, DigestAlgorithm.SHA256);
        return ready.compose(digest -> store.appendToUpload(session.id().toString(), session.received())
                .compose(writer -> {
                    DigestingWriteStream sink = new DigestingWriteStream(writer, digest);
                    return body.pipeTo(sink).map(ignored -> sink.count());
                })
                .compose(count -> {
                    if (declaredLength >= 0 && count != declaredLength) {
                        return Future.failedFuture(new RegistryException(OciErrorCode.SIZE_INVALID,
                                "received " + count + " bytes, Content-Length said " + declaredLength));
                    }
                    long length = session.received() + count;
                    return blocking.run(() -> database.transaction(
                                    c -> uploads.advance(c, session.id(), session.received(), length)))
                            .map(advanced -> {
                                if (!advanced) {
                                    throw new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID,
                                            "another request wrote to this upload at the same time");
                                }
                                digestStates.save(session.id(), length, digest);
                                return new UploadSession(session.id(), session.repositoryId(), length);
                            });
                }));
    }

    /**
     * Verifies the upload against {@code expected} and makes it a blob of the repository. On a mismatch
     * the session and its data are dropped and {@code DIGEST_INVALID} is raised.
     */
    public Future<Digest> complete(UploadSession session, Digest expected) {
        MessageDigest saved = expected.algorithm() == DigestAlgorithm.SHA256
                ? digestStates.take(session.id(), session.received())
                : null;
        Future<MessageDigest> ready = saved != null ? Future.succeededFuture(saved) : digestOf(session, expected.algorithm());
        return ready.compose(digest -> {
            Digest actual = Digest.fromFinishedDigest(expected.algorithm(), digest);
            if (!actual.equals(expected)) {
                return cancel(session).compose(ignored -> Future.failedFuture(new RegistryException(
                        OciErrorCode.DIGEST_INVALID, "content digest is " + actual + ", not " + expected)));
            }
            return store.commitUpload(session.id().toString(), session.received(), expected);
        }).compose(ignored -> blocking.run(() -> database.transaction(c -> {
            blobs.insertIfAbsent(c, expected, session.received());
            blobs.link(c, session.repositoryId(), expected);
            uploads.delete(c, session.id());
            return expected;
        })));
    }

    /** Drops the session and its data. */
    public Future<Void> cancel(UploadSession session) {
        digestStates.forget(session.id());
        return blocking.run(() -> database.transaction(c -> uploads.delete(c, session.id())))
                .compose(ignored -> store.abortUpload(session.id().toString()));
    }

    /** Hashes the data received so far: the fallback when this node holds no digest state for it. */
    private Future<MessageDigest> digestOf(UploadSession session, DigestAlgorithm algorithm) {
        MessageDigest digest = algorithm.newMessageDigest();
        if (session.received() == 0) {
            return Future.succeededFuture(digest);
        }
        return store.copyUpload(session.id().toString(), session.received(), new DigestingWriteStream(null, digest))
                .map(digest);
    }

    private static UUID parseId(String uploadId) {
        try {
            return UUID.fromString(uploadId);
        } catch (IllegalArgumentException e) {
            throw unknown(uploadId);
        }
    }

    private static RegistryException unknown(String uploadId) {
        return new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN,
                "upload " + (uploadId.length() > 64 ? uploadId.substring(0, 64) : uploadId) + " not found");
    }
}
