package io.berth.core.autoprune;

import java.time.Duration;

/**
 * How scheduled pruning paces itself.
 *
 * @param enabled whether nodes prune on a schedule (runs on demand work either way)
 * @param interval how often each namespace with policies is pruned, by whichever node gets to it
 * @param staleAfter how long a run may go without a sign of life before it counts as stopped (its
 *     node died) and the namespace may be pruned again
 */
public record AutoPruneSettings(boolean enabled, Duration interval, Duration staleAfter) {

    public AutoPruneSettings {
        if (interval.isNegative() || interval.isZero() || staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("auto-prune interval and stale-after must be positive");
        }
    }
}
