package io.berth.core.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the usage log: what happened ({@code kind}, Quay's names such as {@code push_repo},
 * {@code pull_repo}, {@code delete_tag}), who did it and from where, in which repository (or only
 * which namespace), with details.
 */
public record UsageEvent(Instant occurredAt, String kind, String performer, String ip, String namespace, String repository,
        Map<String, Object> metadata) {

    /** An event in a repository (its namespace is the repository's). */
    public static UsageEvent inRepository(String kind, String performer, String ip, String repository, Map<String, Object> metadata) {
        int slash = repository.indexOf('/');
        return new UsageEvent(Instant.now(), kind, performer, ip, slash < 0 ? repository : repository.substring(0, slash), repository,
                metadata);
    }

    /** An event of a namespace (an organization or a user's own), or of no namespace at all (null). */
    public static UsageEvent inNamespace(String kind, String performer, String ip, String namespace, Map<String, Object> metadata) {
        return new UsageEvent(Instant.now(), kind, performer, ip, namespace, null, metadata);
    }
}
