package io.berth.storage.s3;

import io.berth.core.domain.Digest;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.storage.BlobMissingException;
import io.berth.core.storage.BlobSource;
import io.berth.core.storage.BlobStore;
import io.berth.core.storage.StoredBlob;
import io.berth.core.storage.UploadWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in an S3-compatible store. Uploads are chains of segment objects (see
 * {@link S3Layout}) that any node can continue and read back; committing assembles the chain into the
 * content-addressed object server-side (copy, or multipart copy of ranges) and deletes the segments.
 * Every call runs on a worker thread; outages surface as
 * {@link io.berth.core.storage.StorageUnavailableException}.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    /** S3 copies at most 5 GiB per CopyObject or UploadPartCopy request. */
    static final long MAX_COPY_BYTES = 5L * 1024 * 1024 * 1024;
    /** S3 allows at most 10,000 parts per multipart upload. */
    private static final int MAX_PARTS = 10_000;

    private final Vertx vertx;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3Settings settings;
    private final S3Layout layout;

    public S3BlobStore(Vertx vertx, S3Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        this.layout = new S3Layout(settings.prefix());
        AwsCredentialsProvider credentials = settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                        settings.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration serviceConfiguration = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build();
        // Checksums only where S3 requires them: many S3-compatible stores reject the newer
        // default (trailing checksums with aws-chunked bodies).
        var clientBuilder = S3Client.builder()
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfiguration)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64));
        var presignerBuilder = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfiguration);
        settings.endpoint().ifPresent(endpoint -> {
            clientBuilder.endpointOverride(endpoint);
            presignerBuilder.endpointOverride(endpoint);
        });
        this.s3 = clientBuilder.build();
        this.presigner = presignerBuilder.build();
    }

    @Override
    public Future<UploadWriter> appendToUpload(String uploadId, long offset) {
        String key = layout.segment(uploadId, offset);
        return blocking("open an upload", () -> {
            List<Segment> segments = segments(uploadId);
            if (offset > 0) {
                chain(segments, offset, uploadId);
            }
            // Segments at or past the offset are leftovers of a chunk that was never acknowledged.
            for (Segment segment : segments) {
                if (segment.start() >= offset) {
                    s3.deleteObject(b -> b.bucket(settings.bucket()).key(segment.key()));
                }
            }
            return (UploadWriter) new S3SegmentWriter(vertx, s3, settings.bucket(), key, settings.partSize());
        });
    }

    @Override
    public Future<Void> copyUpload(String uploadId, long length, WriteStream<Buffer> destination) {
        return blocking("read an upload", () -> chain(segments(uploadId), length, uploadId))
                .compose(chain -> copySegments(chain, 0, length, destination))
                .compose(ignored -> destination.end());
    }

    private Future<Void> copySegments(List<Segment> chain, int index, long length, WriteStream<Buffer> destination) {
        if (index == chain.size() || length == 0) {
            return Future.succeededFuture();
        }
        Segment segment = chain.get(index);
        String range = "bytes=0-" + (Math.min(segment.size(), length - segment.start()) - 1);
        return blocking("read an upload segment", () -> s3.getObject(b -> b.bucket(settings.bucket()).key(segment.key()).range(range)))
                .compose(input -> new InputStreamReadStream(vertx.getOrCreateContext(), input).pipe()
                        .endOnComplete(false).to(destination))
                .compose(ignored -> copySegments(chain, index + 1, length, destination));
    }

    @Override
    public Future<Void> commitUpload(String uploadId, long size, Digest digest) {
        String target = layout.blob(digest);
        return blocking("commit an upload", () -> {
            if (!exists(target)) {
                assemble(chain(segments(uploadId), size, uploadId), size, target);
            }
            deleteUpload(uploadId);
            return null;
        });
    }

    @Override
    public Future<Void> put(Digest digest, Buffer content) {
        String key = layout.blob(digest);
        return blocking("store a blob", () -> {
            if (!exists(key)) {
                s3.putObject(b -> b.bucket(settings.bucket()).key(key), RequestBody.fromBytes(content.getBytes()));
            }
            return null;
        });
    }

    @Override
    public Future<Void> abortUpload(String uploadId) {
        return blocking("abort an upload", () -> {
            deleteUpload(uploadId);
            return null;
        });
    }

    @Override
    public Future<Optional<Long>> size(Digest digest) {
        String key = layout.blob(digest);
        return blocking("stat a blob", () -> {
            try {
                return Optional.of(s3.headObject(b -> b.bucket(settings.bucket()).key(key)).contentLength());
            } catch (SdkException e) {
                if (S3Errors.isNotFound(e)) {
                    return Optional.<Long>empty();
                }
                throw e;
            }
        });
    }

    @Override
    public Future<BlobSource> open(Digest digest, long offset, long length) {
        String key = layout.blob(digest);
        if (settings.redirect()) {
            return blocking("presign a download", () -> (BlobSource) new BlobSource.Redirect(presigner.presignGetObject(b -> b
                    .signatureDuration(settings.redirectTtl())
                    // The bucket answers the client directly: it too must hand out bytes, not a page to render.
                    .getObjectRequest(r -> r.bucket(settings.bucket()).key(key)
                            .responseContentType("application/octet-stream").responseContentDisposition("attachment")))
                    .url().toString(), length));
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return blocking("read a blob", () -> {
            try {
                InputStream body = s3.getObject(b -> b.bucket(settings.bucket()).key(key).range(range));
                return (BlobSource) new BlobSource.Stream(new InputStreamReadStream(vertx.getOrCreateContext(), body), length);
            } catch (SdkException e) {
                if (S3Errors.isNotFound(e)) {
                    throw new BlobMissingException(digest);
                }
                throw e;
            }
        });
    }

    @Override
    public Future<Buffer> read(Digest digest, int maxBytes) {
        String key = layout.blob(digest);
        // One byte more than allowed tells a blob that is too large without reading all of it.
        String range = "bytes=0-" + maxBytes;
        return blocking("read a small blob", () -> {
            try {
                byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key).range(range)).asByteArray();
                if (bytes.length > maxBytes) {
                    throw new IllegalArgumentException("blob " + digest + " is larger than " + maxBytes + " bytes");
                }
                return Buffer.buffer(bytes);
            } catch (SdkException e) {
                if (S3Errors.isNotFound(e)) {
                    throw new BlobMissingException(digest);
                }
                if (S3Errors.isRangeNotSatisfiable(e)) {
                    return Buffer.buffer();
                }
                throw e;
            }
        });
    }

    @Override
    public Future<Void> delete(Digest digest) {
        String key = layout.blob(digest);
        return blocking("delete a blob", () -> {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key));
            return null;
        });
    }

    @Override
    public Future<List<StoredBlob>> list(Digest after, int limit) {
        return blocking("list blobs", () -> {
            List<StoredBlob> page = new ArrayList<>();
            String prefix = layout.blobsRoot();
            String startAfter = after == null ? null : layout.blob(after);
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix).startAfter(startAfter))
                    .contents()) {
                Digest digest = layout.digestOf(object.key());
                if (digest != null) {
                    page.add(new StoredBlob(digest, object.size(), object.lastModified()));
                    if (page.size() == limit) {
                        break;
                    }
                }
            }
            return page;
        });
    }

    @Override
    public Future<Void> checkReachable() {
        return blocking("reach the bucket", () -> {
            s3.headBucket(b -> b.bucket(settings.bucket()));
            return null;
        });
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
    }

    // --- uploads -----------------------------------------------------------------------------

    private record Segment(String key, long start, long size) {
        long end() {
            return start + size;
        }
    }

    private List<Segment> segments(String uploadId) {
        String prefix = layout.uploadPrefix(uploadId);
        List<Segment> segments = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents()) {
            long start = S3Layout.segmentStart(prefix, object.key());
            if (start >= 0) {
                segments.add(new Segment(object.key(), start, object.size()));
            }
        }
        segments.sort((a, b) -> Long.compare(a.start(), b.start()));
        return segments;
    }

    /**
     * The contiguous segments from offset 0 that hold the first {@code length} bytes (the last one may
     * hold more); the upload is unknown when they do not reach that far.
     */
    private static List<Segment> chain(List<Segment> segments, long length, String uploadId) {
        List<Segment> chain = new ArrayList<>();
        long position = 0;
        for (Segment segment : segments) {
            if (position >= length) {
                break;
            }
            if (segment.start() == position) {
                chain.add(segment);
                position = segment.end();
            }
        }
        if (position < length) {
            throw new RegistryException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + uploadId + " data is incomplete");
        }
        return chain;
    }

    /**
     * Builds the target object from the chain without downloading it where S3 allows: one segment up
     * to 5 GiB is a single copy; otherwise a multipart upload whose parts are server-side copies of
     * ranges within one segment, and only parts that straddle small segments are read and re-sent.
     */
    private void assemble(List<Segment> chain, long size, String target) {
        if (chain.size() == 1 && chain.get(0).size() == size && size <= MAX_COPY_BYTES) {
            s3.copyObject(b -> b.sourceBucket(settings.bucket()).sourceKey(chain.get(0).key())
                    .destinationBucket(settings.bucket()).destinationKey(target));
            return;
        }
        if (size == 0) {
            s3.putObject(b -> b.bucket(settings.bucket()).key(target), RequestBody.empty());
            return;
        }
        long partSize = Math.max(settings.partSize(), (size + MAX_PARTS - 1) / MAX_PARTS);
        partSize = Math.min(partSize, MAX_COPY_BYTES);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(target)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long from = 0; from < size; from += partSize) {
                long to = Math.min(from + partSize, size);
                int number = parts.size() + 1;
                parts.add(CompletedPart.builder().partNumber(number).eTag(uploadPart(chain, from, to, target, uploadId, number)).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(target).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(target).uploadId(uploadId));
            throw e;
        }
    }

    private String uploadPart(List<Segment> chain, long from, long to, String target, String uploadId, int number) {
        for (Segment segment : chain) {
            if (segment.start() <= from && to <= segment.end()) {
                String range = "bytes=" + (from - segment.start()) + "-" + (to - segment.start() - 1);
                return s3.uploadPartCopy(b -> b.sourceBucket(settings.bucket()).sourceKey(segment.key()).copySourceRange(range)
                        .destinationBucket(settings.bucket()).destinationKey(target).uploadId(uploadId).partNumber(number))
                        .copyPartResult().eTag();
            }
        }
        byte[] bytes = new byte[(int) (to - from)];
        int filled = 0;
        for (Segment segment : chain) {
            long overlapFrom = Math.max(from, segment.start());
            long overlapTo = Math.min(to, segment.end());
            if (overlapFrom >= overlapTo) {
                continue;
            }
            String range = "bytes=" + (overlapFrom - segment.start()) + "-" + (overlapTo - segment.start() - 1);
            try (InputStream in = s3.getObject(b -> b.bucket(settings.bucket()).key(segment.key()).range(range))) {
                filled += in.readNBytes(bytes, filled, (int) (overlapTo - overlapFrom));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (filled != bytes.length) {
            throw new IllegalStateException("short read while assembling " + target);
        }
        return s3.uploadPart(b -> b.bucket(settings.bucket()).key(target).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(bytes)).eTag();
    }

    /** Deletes the upload's segments and aborts multipart uploads a failed segment left behind. */
    private void deleteUpload(String uploadId) {
        String prefix = layout.uploadPrefix(uploadId);
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents()) {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(object.key()));
        }
        s3.listMultipartUploadsPaginator(b -> b.bucket(settings.bucket()).prefix(prefix)).uploads()
                .forEach(upload -> s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(upload.key())
                        .uploadId(upload.uploadId())));
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    private <T> Future<T> blocking(String operation, Callable<T> work) {
        return vertx.executeBlocking(() -> {
            try {
                return work.call();
            } catch (SdkException e) {
                throw S3Errors.unavailable(operation, e);
            }
        }, false);
    }
}
