package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import io.berth.core.domain.DigestAlgorithm;
import java.util.UUID;

/**
 * An upload in progress: {@code received} bytes of its data are acknowledged, hashed with
 * {@code algorithm} as they arrive. {@code prepared} is the digest whose commit was made safe from
 * garbage collection when the session was found (null when none was).
 */
public record UploadSession(UUID id, long repositoryId, long received, DigestAlgorithm algorithm, Digest prepared) {

    public UploadSession(UUID id, long repositoryId, long received, DigestAlgorithm algorithm) {
        this(id, repositoryId, received, algorithm, null);
    }

    /** The same session with {@code received} bytes. */
    public UploadSession withReceived(long received) {
        return new UploadSession(id, repositoryId, received, algorithm, prepared);
    }

    public UploadSession preparedFor(Digest digest) {
        return new UploadSession(id, repositoryId, received, algorithm, digest);
    }
}
