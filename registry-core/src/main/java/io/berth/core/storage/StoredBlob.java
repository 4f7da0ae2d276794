package io.berth.core.storage;

import io.berth.core.domain.Digest;
import java.time.Instant;

/** A blob as the store sees it: its digest, size and when it was written (for safety ages). */
public record StoredBlob(Digest digest, long size, Instant lastModified) {
}
