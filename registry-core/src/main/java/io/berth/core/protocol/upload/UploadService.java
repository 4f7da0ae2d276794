package io.berth.core.protocol.upload;

import io.berth.core.concurrent.Blocking;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.gc.BlobDeletion;
import io.berth.core.gc.BlobReviews;
import io.berth.core.metadata.BlobRecords;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.UploadRecords;
import io.berth.core.metadata.UploadSession;
import io.berth.core.protocol.BoundedBody;
import io.berth.core.quota.QuotaExceededException;
import io.berth.core.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.function.Function;

/**
 * Blob uploads: sessions in PostgreSQL, data in the blob store, digest computed while the bytes
 * stream through. A finished upload is verified, committed to its content address, then recorded
 * with its repository link in one transaction; a failed one leaves nothing behind.
 */
@Singleton
public class UploadService {
    /** Bodies of a whole blob up to this size are received into memory and stored in one step. */
    static final int SMALL_BLOB_BYTES = 1024 * 1024;

    private final Blocking blocking;
    private final UploadMemory memory;
    private final Database database;
    private final RepositoryRecords repositories;
    private final BlobRecords blobs;
    private final UploadRecords uploads;
    private final BlobStore store;
    private final DigestStates digestStates;
    private final BlobReviews reviews;
    private final BlobDeletion deletion;

    @Inject
    public UploadService(Blocking blocking, Database database, RepositoryRecords repositories, BlobRecords blobs,
            UploadRecords uploads, BlobStore store, DigestStates digestStates, BlobReviews reviews, BlobDeletion deletion,
            UploadMemory memory) {
        this.blocking = blocking;
        this.memory = memory;
        this.database = database;
        this.repositories = repositories;
        this.blobs = blobs;
        this.uploads = uploads;
        this.store = store;
        this.digestStates = digestStates;
        this.reviews = reviews;
        this.deletion = deletion;
    }

    /**
     * Opens a session whose data is hashed with {@code algorithm} as it arrives (the client's
     * {@code digest-algorithm}, sha256 by default), creating the repository on its first push.
     */
    public Future<UploadSession> start(RepositoryName name, DigestAlgorithm algorithm) {
        UUID id = UUID.randomUUID();
        // One statement when the repository exists, which is every push but its first.
        return database.single(c -> uploads.createIn(c, id, name.value(), algorithm))
                .compose(existing -> existing.isPresent() ? Future.succeededFuture(existing.get())
                        : database.transaction(c -> repositories.ensure(c, name)
                                .compose(created -> uploads.create(c, id, created, algorithm).map(created))))
                .map(repositoryId -> new UploadSession(id, repositoryId, 0, algorithm));
    }

    /** Opens a session for a monolithic upload of {@code digest} (POST with the digest), preparing its commit. */
    public Future<UploadSession> startToComplete(RepositoryName name, Digest digest) {
        return start(name, digest.algorithm()).compose(opened -> prepare(opened, digest));
    }

    public Future<UploadSession> find(RepositoryName name, String uploadId) {
        return Futures.attempt(() -> {
            UUID id = parseId(uploadId);
            return database.read(c -> uploads.find(c, id, name.value()))
                    .map(found -> found.orElseThrow(() -> unknown(uploadId)));
        });
    }

    /**
     * Claims a session for a request that writes to it: until the request advances, completes or
     * releases it, any other request that would write, complete or cancel it is refused as busy. The
     * claim is what keeps two requests from ever writing one upload's data, or committing it, at once.
     */
    public Future<UploadSession> claim(RepositoryName name, String uploadId) {
        return Futures.attempt(() -> {
            UUID id = parseId(uploadId);
            return database.single(c -> claim(c, name, id, uploadId));
        });
    }

    /** Claims a session about to be completed as {@code digest} and prepares its commit, releasing it if that fails. */
    public Future<UploadSession> claimToComplete(RepositoryName name, String uploadId, Digest digest) {
        return claim(name, uploadId).compose(claimed -> prepare(claimed, digest)
                .recover(failure -> release(claimed).transform(ignored -> Future.failedFuture(failure))));
    }

    /**
     * Runs {@code work} on a claimed session; when it fails, the session is given back as it was for
     * the client's next attempt (work that ended the session, such as a digest mismatch, leaves
     * nothing to give back).
     */
    public <T> Future<T> releasingOnFailure(UploadSession claimed, Function<UploadSession, Future<T>> work) {
        return Futures.attempt(() -> work.apply(claimed))
                .recover(failure -> release(claimed).transform(ignored -> Future.failedFuture(failure)));
    }

    private Future<Void> release(UploadSession claimed) {
        return database.single(c -> uploads.release(c, claimed.id()));
    }

    private Future<UploadSession> claim(SqlConnection c, RepositoryName name, UUID id, String uploadId) {
        return uploads.claim(c, id, name.value()).compose(claimed -> claimed.isPresent()
                ? Future.succeededFuture(claimed.get())
                : refusal(c, name, id, uploadId));
    }

    /** Fails with why a session could not be taken: another request holds it, or there is none. */
    private <T> Future<T> refusal(SqlConnection c, RepositoryName name, UUID id, String uploadId) {
        return uploads.find(c, id, name.value()).compose(found -> Future.failedFuture(found.isPresent()
                ? new RegistryException(OciErrorCode.BLOB_UPLOAD_INVALID,
                        "another request is writing to or completing this upload; retry when it is done")
                : unknown(uploadId)));
    }

    /**
     * Appends {@code body} at the end of a session the caller claimed, and releases it with its new
     * length. {@code declaredLength} is the request's
     * Content-Length (or -1); a body of another length is {@code SIZE_INVALID} and is not kept.
     * The caller must have paused {@code body}; piping resumes it with back-pressure.
     */
    public Future<UploadSession> append(UploadSession session, ReadStream<Buffer> body, long declaredLength) {
        return append(session, body, declaredLength, true);
    }

    /** Appends to a claimed session, releasing it with the new length or (to go on and complete it) keeping it. */
    private Future<UploadSession> append(UploadSession session, ReadStream<Buffer> body, long declaredLength, boolean release) {
        return write(session, body, declaredLength).compose(written -> database.single(
                        c -> uploads.advance(c, session.id(), session.received(), written.session().received(), release))
                .map(advanced -> {
                    if (!advanced) {
                        throw new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload was purged while it was written");
                    }
                    digestStates.save(session.id(), written.session().received(), written.digest());
                    return written.session();
                }));
    }

    /**
     * Appends the last bytes and completes in one step (a monolithic push, or a final PUT with a body):
     * the digest is already at hand, and the session row is deleted instead of first being advanced.
     */
    public Future<Digest> appendAndComplete(UploadSession session, ReadStream<Buffer> body, long declaredLength,
            Digest expected) {
        if (session.received() == 0 && declaredLength >= 0 && declaredLength <= SMALL_BLOB_BYTES) {
            return readSmall(body, declaredLength).compose(content -> storeWhole(session, content, expected));
        }
        if (expected.algorithm() != session.algorithm()) {
            return append(session, body, declaredLength, false).compose(written -> complete(written, expected));
        }
        return write(session, body, declaredLength).compose(written -> finish(written.session(), written.digest(), expected));
    }

    /**
     * Verifies the upload against {@code expected} and makes it a blob of the repository. On a mismatch
     * the session and its data are dropped and {@code DIGEST_INVALID} is raised.
     */
    public Future<Digest> complete(UploadSession session, Digest expected) {
        MessageDigest saved = expected.algorithm() == session.algorithm()
                ? digestStates.take(session.id(), session.received())
                : null;
        Future<MessageDigest> ready = saved != null ? Future.succeededFuture(saved) : digestOf(session, expected.algorithm());
        return ready.compose(digest -> finish(session, digest, expected));
    }

    /**
     * A whole blob in one small body (most configs and many layers): received into memory, verified, and
     * stored at its address in one step, skipping the upload data entirely.
     */
    private Future<Digest> storeWhole(UploadSession session, Buffer content, Digest expected) {
        Digest actual = Digest.of(expected.algorithm(), content.getBytes());
        if (!actual.equals(expected)) {
            return cancel(session).compose(ignored -> Future.failedFuture(new RegistryException(
                    OciErrorCode.DIGEST_INVALID, "content digest is " + actual + ", not " + expected)));
        }
        UploadSession whole = session.withReceived(content.length());
        return prepareCommit(whole, expected)
                .compose(prepared -> store.put(expected, content).compose(ignored -> record(prepared, expected)));
    }

    /** Reads a body of a known small length into memory; a different length is {@code SIZE_INVALID}. */
    private static Future<Buffer> readSmall(ReadStream<Buffer> body, long declaredLength) {
        return BoundedBody.read(body, declaredLength,
                        () -> new RegistryException(OciErrorCode.SIZE_INVALID, "body longer than its Content-Length"))
                .compose(content -> content.length() == declaredLength ? Future.succeededFuture(content)
                        : Future.failedFuture(new RegistryException(OciErrorCode.SIZE_INVALID,
                                "received " + content.length() + " bytes, Content-Length said " + declaredLength)));
    }

    /** The session after a body was written at its end, and the running digest over all its data. */
    private record Written(UploadSession session, MessageDigest digest) {
    }

    /** Streams {@code body} into the store at the session's end, hashing it on the way; touches no metadata. */
    private Future<Written> write(UploadSession session, ReadStream<Buffer> body, long declaredLength) {
        MessageDigest saved = digestStates.take(session.id(), session.received());
        Future<MessageDigest> ready = saved != null ? Future.succeededFuture(saved) : digestOf(session, session.algorithm());
        return ready.compose(digest -> store.appendToUpload(session.id().toString(), session.received())
                .compose(writer -> {
                    DigestingWriteStream sink = new DigestingWriteStream(blocking, memory, writer, digest);
                    return body.pipeTo(sink).map(ignored -> sink.count());
                })
                .compose(count -> {
                    if (declaredLength >= 0 && count != declaredLength) {
                        return Future.failedFuture(new RegistryException(OciErrorCode.SIZE_INVALID,
                                "received " + count + " bytes, Content-Length said " + declaredLength));
                    }
                    UploadSession longer = session.withReceived(session.received() + count);
                    return Future.succeededFuture(new Written(longer, digest));
                }));
    }

    private Future<Digest> finish(UploadSession session, MessageDigest digest, Digest expected) {
        Digest actual = Digest.fromFinishedDigest(expected.algorithm(), digest);
        if (!actual.equals(expected)) {
            return cancel(session).compose(ignored -> Future.failedFuture(new RegistryException(
                    OciErrorCode.DIGEST_INVALID, "content digest is " + actual + ", not " + expected)));
        }
        return prepareCommit(session, expected)
                .compose(prepared -> store.commitUpload(prepared.id().toString(), prepared.received(), expected)
                        .compose(ignored -> record(prepared, expected)));
    }

    /**
     * Makes committing the content safe from garbage collection, unless finding the session already
     * did. The blob is marked as relied on, so no collection starts deleting it
     * within the safety window; a deletion already under way is waited for (or, when its worker died,
     * finished here), because the store would otherwise take the bytes for present, discard the
     * upload, and lose them to that deletion a moment later.
     */
    private Future<UploadSession> prepareCommit(UploadSession session, Digest digest) {
        if (digest.equals(session.prepared())) {
            return Future.succeededFuture(session);
        }
        return prepare(session, digest);
    }

    /**
     * Prepares the commit of {@code digest} for the session {@code found}. Each step is a statement
     * committed by itself (auto-commit, one connection), in this order: recording the use waits while
     * a collection holds the blob's review, so the state read afterwards (in a newer snapshot) shows a
     * deletion that collection started.
     */
    private Future<UploadSession> prepare(UploadSession found, Digest digest) {
        return database.single(c -> reviews.use(c, digest, found.repositoryId()).compose(used -> blobs.deleting(c, digest)))
                .compose(deleting -> deleting ? deletion.finish(digest.toString()).mapEmpty() : Future.succeededFuture())
                .map(finished -> found.preparedFor(digest));
    }

    /**
     * Records the stored blob, links it to the repository and ends the session, in one statement.
     * The blob is safe from collection (see {@link #prepareCommit}) unless a body took longer than
     * the safety window; a link made to a blob being deleted then goes with it, and a manifest
     * referencing it is refused, so the client pushes the blob again.
     */
    private Future<Digest> record(UploadSession session, Digest digest) {
        return database.single(c -> uploads.completeAs(c, session.id(), session.repositoryId(), digest, session.received()))
                .map(digest)
                .recover(failure -> failure instanceof QuotaExceededException ? refused(session, digest, failure) : Future.failedFuture(failure));
    }

    /**
     * A Reject quota limit refused the link (the statement recorded nothing): the session ends, and
     * the bytes already committed are recorded as a blob nothing links, so that collection deletes
     * them after the review {@link #prepare} queued, as it does any upload nothing came to reference.
     */
    private Future<Digest> refused(UploadSession session, Digest digest, Throwable refusal) {
        return database.single(c -> blobs.recordUnlinked(c, digest, session.received()))
                .compose(recorded -> cancel(session))
                .transform(ignored -> Future.failedFuture(refusal));
    }

    /** Cancels a session for its client (DELETE), unless another request holds it. */
    public Future<Void> cancel(RepositoryName name, String uploadId) {
        return Futures.attempt(() -> {
            UUID id = parseId(uploadId);
            return database.single(c -> uploads.deleteUnclaimed(c, id, name.value())
                            .compose(deleted -> deleted ? Future.<Void>succeededFuture() : refusal(c, name, id, uploadId)))
                    .compose(ignored -> {
                        digestStates.forget(id);
                        return store.abortUpload(id.toString());
                    });
        });
    }

    /** Drops the session and its data: the request that holds it, or that opened it, gives up. */
    public Future<Void> cancel(UploadSession session) {
        digestStates.forget(session.id());
        return database.transaction(c -> uploads.delete(c, session.id()))
                .compose(ignored -> store.abortUpload(session.id().toString()));
    }

    /** Hashes the data received so far: the fallback when this node holds no digest state for it. */
    private Future<MessageDigest> digestOf(UploadSession session, DigestAlgorithm algorithm) {
        MessageDigest digest = algorithm.newMessageDigest();
        if (session.received() == 0) {
            return Future.succeededFuture(digest);
        }
        return store.copyUpload(session.id().toString(), session.received(), new DigestingWriteStream(blocking, memory, null, digest))
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
