package io.berth.core.autoprune;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A run as the API shows it: what it covered ({@code repository} and {@code policy} when it was
 * narrowed to one), how it was started ({@code schedule} or {@code api}, by whom), how it went, and
 * its report once it has ended.
 */
public record AutoPruneRunView(String id, String namespace, String repository, String policy, String trigger, boolean dryRun,
        String status, String requestedBy, Instant startedAt, Instant finishedAt, int tagsDeleted, int manifestsDeleted, String error,
        JsonNode report) {
}
