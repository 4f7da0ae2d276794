package io.berth.core.metadata;

import io.berth.core.domain.Digest;
import java.util.UUID;

/**
 * An upload in progress: {@code received} bytes of its data are acknowledged. {@code prepared} is
 * the digest whose commit was made safe from garbage collection when the session was found
 * (null when none was).
 */
public record UploadSession(UUID id, long repositoryId, long received, Digest prepared) {

    public UploadSession(UUID id, long repositoryId, long received) {
        this(id, repositoryId, received, null);
    }

    /** The same session with {@code received} bytes. */
    public UploadSession withReceived(long received) {
        return new UploadSession(id, repositoryId, received, prepared);
    }

    public UploadSession preparedFor(Digest digest) {
        return new UploadSession(id, repositoryId, received, digest);
    }
}
