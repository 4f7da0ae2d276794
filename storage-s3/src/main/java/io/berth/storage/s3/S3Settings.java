package io.berth.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how blobs are kept in an S3-compatible store.
 *
 * @param bucket          the bucket (must exist)
 * @param region          the signing region
 * @param endpoint        a custom endpoint (MinIO, Ceph RGW, ...); AWS when empty
 * @param pathStyleAccess address buckets as {@code endpoint/bucket} rather than {@code bucket.endpoint}
 * @param prefix          a key prefix under which everything is stored (may be empty)
 * @param accessKeyId     static credentials; the default AWS chain when empty
 * @param secretAccessKey static credentials; the default AWS chain when empty
 * @param redirect        answer blob GETs with a 307 to a presigned URL instead of streaming
 * @param redirectTtl     how long a presigned URL stays valid
 * @param partSize        bytes per multipart part (S3's minimum is 5 MiB); also the upload buffer per request
 */
public record S3Settings(
        String bucket,
        String region,
        Optional<URI> endpoint,
        boolean pathStyleAccess,
        String prefix,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        boolean redirect,
        Duration redirectTtl,
        int partSize) {

    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    public S3Settings {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB");
        }
    }
}
