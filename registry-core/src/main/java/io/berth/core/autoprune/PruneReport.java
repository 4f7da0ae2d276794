package io.berth.core.autoprune;

import java.util.List;

/**
 * What a run deleted, or (a dry run) would delete, and what it kept and why. A dry run and the run
 * after it (nothing changed in between) report the same. Tags kept are those the run's policies
 * looked at and left, at most {@link #KEPT_LISTED} of them listed ({@code tagsKeptCount} counts all);
 * a tag one policy keeps and another deletes is only among the deleted.
 */
public record PruneReport(boolean dryRun, List<String> policies, List<TagDeleted> tagsDeleted, int tagsKeptCount, List<TagKept> tagsKept,
        List<ManifestDeleted> manifestsDeleted, List<ManifestKept> manifestsKept, List<RepositorySkipped> repositoriesSkipped) {
    public static final int KEPT_LISTED = 1000;

    /** A tag deleted: by which policy (its uuid and method), and why. */
    public record TagDeleted(String repository, String tag, String digest, String policy, String method, String reason) {
    }

    /** A tag a policy looked at and kept, and why: protected, outside its patterns, within its count or its age. */
    public record TagKept(String repository, String tag, String digest, String policy, String reason) {
    }

    /** An untagged manifest deleted by an {@code untagged_older_than} policy. */
    public record ManifestDeleted(String repository, String digest, String policy, String reason) {
    }

    /**
     * An untagged manifest the plan had chosen but that was still kept when its turn came (tagged,
     * listed by an index or given a referrer since); a dry run lists none.
     */
    public record ManifestKept(String repository, String digest, String policy, String reason) {
    }

    /** A repository the run left alone (read-only: nothing in it changes). */
    public record RepositorySkipped(String repository, String reason) {
    }
}
