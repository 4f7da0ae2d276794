package io.berth.core.metadata;

import java.util.UUID;

/** An upload in progress: {@code received} bytes of its data are acknowledged. */
public record UploadSession(UUID id, long repositoryId, long received) {
}
