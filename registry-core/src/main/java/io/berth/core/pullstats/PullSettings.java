package io.berth.core.pullstats;

/**
 * Whether pulls are counted, and how many distinct tags (and as many manifests) a node keeps counts
 * for between two writes: past that, further pulls of new tags or manifests are dropped (and counted
 * as dropped) until the next write empties the memory again.
 */
public record PullSettings(boolean enabled, int maxPending) {

    public PullSettings {
        if (maxPending < 1) {
            throw new IllegalArgumentException("berth.pull-statistics.max-pending must be at least 1");
        }
    }
}
