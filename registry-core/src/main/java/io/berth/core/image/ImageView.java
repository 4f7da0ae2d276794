package io.berth.core.image;

import java.time.Instant;
import java.util.List;

/**
 * A manifest as the images listing shows it: its tags, what it is, the platform of its config (for
 * an image) or of each manifest it lists (for an index), its total size and its layers in order, and
 * how often and when it was last pulled (by tag or digest; {@code lastPulled} null when never).
 */
public record ImageView(String digest, String mediaType, String artifactType, List<String> tags, String os, String architecture,
        String variant, List<Platform> platforms, long size, List<Layer> layers, Instant createdAt, long pullCount, Instant lastPulled) {

    public record Platform(String digest, String os, String architecture, String variant) {
    }

    public record Layer(String digest, long size, String mediaType) {
    }
}
