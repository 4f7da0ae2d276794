package io.berth.storage.s3;

import io.berth.core.storage.StorageUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Translates object-store failures: a missing key is data, everything else means the store is unavailable. */
final class S3Errors {
    private S3Errors() {
    }

    static boolean isNotFound(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    /**
     * Whether a ranged read was refused as unsatisfiable. A range starting at byte 0 is unsatisfiable
     * only for an object that exists and is empty.
     */
    static boolean isRangeNotSatisfiable(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 416;
    }

    static StorageUnavailableException unavailable(String operation, SdkException e) {
        return new StorageUnavailableException("object store failed to " + operation + ": " + e.getMessage(), e);
    }
}
