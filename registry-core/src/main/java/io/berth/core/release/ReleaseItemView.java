package io.berth.core.release;

import java.time.Instant;

/**
 * One item of a release as it stands: what is copied where, the digest it copied, its
 * {@code upload_status} ({@code waiting}, {@code success}, {@code failed}), whether the target tag
 * names that digest, and why it failed.
 */
public record ReleaseItemView(int position, Integer chartPosition, String kind, String source, String target, String digest,
        String status, boolean tagged, String error, Instant createdAt, Instant updatedAt) {
}
