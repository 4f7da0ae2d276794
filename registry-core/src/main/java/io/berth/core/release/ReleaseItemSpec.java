package io.berth.core.release;

/**
 * One copy a release asks for: an image, or a Helm chart (an OCI artifact), from a source in this
 * registry to a target tag. {@code chartPosition} is the chart an image belongs to, else null;
 * {@code field} is where the request gave it ({@code items[2].images[0]}), for errors.
 */
public record ReleaseItemSpec(int position, Integer chartPosition, ReleaseItemKind kind, ImageReference source,
        ImageReference target, String field) {
}
