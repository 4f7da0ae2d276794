package io.berth.storage.s3;

import io.berth.core.storage.AbstractUploadWriter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes one segment of an upload (the body of one request) as one object. A segment smaller than a
 * part goes up with a single PUT when it ends; a larger one becomes a multipart upload whose parts are
 * sent, one at a time on a worker thread, as they fill. At most one part waits while another is in
 * flight: then the writer reports its queue full and the request is paused, so memory per upload is
 * bounded by two parts whatever the blob size.
 *
 * <p>All state is touched on the event loop that calls {@link #write}; workers only talk to S3.
 */
final class S3SegmentWriter extends AbstractUploadWriter {
    private final Vertx vertx;
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final int partSize;

    private final ArrayDeque<byte[]> fullParts = new ArrayDeque<>();
    private final List<CompletedPart> completed = new ArrayList<>();
    private byte[] filling;
    private int fillingLength;
    private String multipartUploadId;
    private boolean sending;
    private boolean finished;
    private boolean drainWanted;
    private Throwable failure;
    private Promise<Void> ended;

    S3SegmentWriter(Vertx vertx, S3Client s3, String bucket, String key, int partSize) {
        this.vertx = vertx;
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
        this.filling = new byte[partSize];
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        int offset = 0;
        while (offset < data.length()) {
            int count = Math.min(partSize - fillingLength, data.length() - offset);
            data.getBytes(offset, offset + count, filling, fillingLength);
            fillingLength += count;
            offset += count;
            if (fillingLength == partSize) {
                fullParts.add(filling);
                filling = new byte[partSize];
                fillingLength = 0;
                sendNext();
            }
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
        if (ended == null) {
            ended = Promise.promise();
            sendNext();
        }
        return ended.future();
    }

    @Override
    public boolean writeQueueFull() {
        boolean full = !fullParts.isEmpty();
        if (full) {
            drainWanted = true;
        }
        return full;
    }

    private void sendNext() {
        if (sending || failure != null) {
            return;
        }
        byte[] part = fullParts.poll();
        if (part != null) {
            send(() -> uploadPart(part, part.length));
            return;
        }
        if (ended != null && !finished) {
            byte[] last = filling;
            int length = fillingLength;
            send(() -> finish(last, length));
        }
    }

    private void send(Step step) {
        sending = true;
        vertx.<Boolean>executeBlocking(() -> {
            step.run();
            return true;
        }, false).onComplete(result -> {
            sending = false;
            if (result.failed()) {
                fail(result.cause());
                return;
            }
            if (finished) {
                ended.tryComplete();
                return;
            }
            if (drainWanted && fullParts.isEmpty()) {
                drainWanted = false;
                drained();
            }
            sendNext();
        });
    }

    private interface Step {
        void run();
    }

    /** Runs on a worker. */
    private void uploadPart(byte[] bytes, int length) {
        try {
            if (multipartUploadId == null) {
                multipartUploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            }
            int number = completed.size() + 1;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(multipartUploadId).partNumber(number),
                    RequestBody.fromBytes(length == bytes.length ? bytes : Arrays.copyOf(bytes, length))).eTag();
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        } catch (SdkException e) {
            throw S3Errors.unavailable("upload a part", e);
        }
    }

    /** Runs on a worker: the last bytes, then the object becomes visible. */
    private void finish(byte[] bytes, int length) {
        try {
            if (multipartUploadId == null) {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(Arrays.copyOf(bytes, length)));
            } else {
                if (length > 0) {
                    uploadPart(bytes, length);
                }
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(multipartUploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()));
            }
        } catch (SdkException e) {
            throw S3Errors.unavailable("store an upload segment", e);
        }
        finished = true;
    }

    private void fail(Throwable cause) {
        failure = cause;
        fullParts.clear();
        if (multipartUploadId != null) {
            String uploadId = multipartUploadId;
            vertx.executeBlocking(() -> {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                return null;
            }, false);
        }
        reportFailure(cause);
        if (ended != null) {
            ended.tryFail(cause);
        }
    }
}
