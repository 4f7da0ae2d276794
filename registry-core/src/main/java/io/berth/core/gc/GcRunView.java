package io.berth.core.gc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An on-demand collection or orphan sweep as the API shows it: what was asked, its status
 * ({@code running}, {@code succeeded}, {@code failed}), the phase it is in, its progress counters,
 * and when finished its report (for a dry run: what would go).
 */
public record GcRunView(String id, String kind, String namespace, boolean deleteUntagged, boolean dryRun, String status,
        String phase, String requestedBy, Instant createdAt, Instant updatedAt, Instant finishedAt, Long estimatedBytes,
        long manifestsReviewed, long manifestsDeleted, long blobsReviewed, long blobsDeleted, long bytesFreed,
        JsonNode report, String error) {
}
