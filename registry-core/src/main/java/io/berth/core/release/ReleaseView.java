package io.berth.core.release;

import java.time.Instant;
import java.util.List;

/** A release with its progress; {@code items} empty in listings, which carry no item details. */
public record ReleaseView(String id, String versionName, String description, List<String> labels, String status, String error,
        String createdBy, Instant createdAt, Instant finishedAt, int successCount, int totalCount, String uploadStatus,
        List<ReleaseItemView> items) {
}
