package io.berth.core.gc;

import java.time.Duration;

/**
 * How garbage collection paces itself.
 *
 * @param reviewDelay how long after something may have become unreferenced it is reviewed
 * @param safetyWindow how long after a client last relied on a blob (uploaded it, found it with a
 *     HEAD, mounted it) or last pushed a manifest it is never deleted, whatever the delay or an
 *     on-demand run says: a push in progress has this long to reference what it uploaded or found
 * @param orphanMinAge how old an object in storage without metadata must be before the orphan
 *     sweep deletes it (an upload commits its bytes a moment before its metadata)
 */
public record GcSettings(Duration reviewDelay, Duration safetyWindow, Duration orphanMinAge) {

    public GcSettings {
        if (reviewDelay.isNegative() || safetyWindow.isNegative() || orphanMinAge.isNegative()) {
            throw new IllegalArgumentException("garbage collection delays must not be negative");
        }
    }
}
