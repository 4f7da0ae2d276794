package io.berth.core.autoprune;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A policy as the API shows it, in Quay's field names: {@code value} a number for the counting methods,
 * an age string for the others; {@code repository} only on a repository's policy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutoPrunePolicyView(String uuid, String method, Object value, String tagPattern, Boolean tagPatternMatches,
        String includeTagPattern, String excludeTagPattern, String repository, Instant createdAt, Instant updatedAt) {
}
