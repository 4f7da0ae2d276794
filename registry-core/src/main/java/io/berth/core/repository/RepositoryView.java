package io.berth.core.repository;

import java.time.Instant;

/**
 * A repository as the management API shows it. {@code kind} says what it holds, from its newest
 * manifest's config media type: {@code image}, {@code helm_chart}, or the artifact type itself.
 * {@code size} counts each blob the repository links once, plus its manifests.
 */
public record RepositoryView(String namespace, String name, String description, String visibility, String state, String kind,
        long size, Instant createdAt, Instant lastModified) {

    /** The repository's name without its namespace, as Quay reports it. */
    public String shortName() {
        return name.substring(namespace.length() + 1);
    }
}
