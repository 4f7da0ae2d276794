package io.berth.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The platforms an index (or Docker manifest list) names for its manifests, in the index's order. */
public final class IndexPlatforms {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexPlatforms() {
    }

    /** One entry per manifest the index lists; fields the index leaves out are null. Not an index: none. */
    public static List<ImageView.Platform> of(JsonNode index) {
        List<ImageView.Platform> platforms = new ArrayList<>();
        for (JsonNode child : index.path("manifests")) {
            JsonNode platform = child.path("platform");
            platforms.add(new ImageView.Platform(child.path("digest").asText(null), platform.path("os").asText(null),
                    platform.path("architecture").asText(null), platform.path("variant").asText(null)));
        }
        return platforms;
    }

    /** The same from the index's stored bytes (stored manifests were parsed on push, so they are JSON). */
    public static List<ImageView.Platform> of(byte[] payload) {
        try {
            JsonNode index = JSON.readTree(payload);
            return index == null ? List.of() : of(index);
        } catch (IOException notJson) {
            return List.of();
        }
    }
}
