package io.berth.core.autoprune;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A policy as a client sends it (Quay's fields, and two patterns of Berth's): {@code value} is a
 * number or a string ({@code 10}, {@code "10"}, {@code "7d"}), checked by {@link PolicySpec#of}.
 */
public record PolicyRequest(String method, JsonNode value, String tagPattern, Boolean tagPatternMatches, String includeTagPattern,
        String excludeTagPattern) {
}
