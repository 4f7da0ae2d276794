package io.berth.core.storage;

import io.berth.core.domain.Digest;

/** The store holds no data for a digest that metadata says exists. */
public class BlobMissingException extends RuntimeException {
    public BlobMissingException(Digest digest) {
        super("blob data missing from storage: " + digest, null, false, false);
    }
}
