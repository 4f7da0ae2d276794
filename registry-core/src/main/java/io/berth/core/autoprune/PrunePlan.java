package io.berth.core.autoprune;

import java.util.List;

/**
 * What a run will delete, decided before anything is: the tags (by policy, in order) and then the
 * untagged manifests. A dry run reports it as it is; a real run carries it out.
 */
record PrunePlan(List<AutoPrunePolicy> policies, List<PlannedTag> tags, List<PlannedManifest> manifests, int keptCount,
        List<PruneReport.TagKept> kept, List<PruneReport.RepositorySkipped> skipped) {

    record PlannedTag(long repositoryId, String repository, String tag, String digest, AutoPrunePolicy policy, String reason) {
        PruneReport.TagDeleted deleted() {
            return new PruneReport.TagDeleted(repository, tag, digest, policy.uuid().toString(), policy.spec().method().wireName(), reason);
        }
    }

    record PlannedManifest(long repositoryId, String repository, long manifestId, String digest, AutoPrunePolicy policy, String reason) {
        PruneReport.ManifestDeleted deleted() {
            return new PruneReport.ManifestDeleted(repository, digest, policy.uuid().toString(), reason);
        }
    }

    List<String> policyIds() {
        return policies.stream().map(policy -> policy.uuid().toString()).toList();
    }

    /** The report of this plan carried out in full (a dry run's). */
    PruneReport report(boolean dryRun) {
        return new PruneReport(dryRun, policyIds(),
                tags.stream().map(PlannedTag::deleted).toList(), keptCount, kept,
                manifests.stream().map(PlannedManifest::deleted).toList(), List.of(), skipped);
    }
}
