package io.berth.core.release;

/** Why one item of a release could not be copied: recorded as the item's error, the release goes on with the next. */
public class ReleaseItemFailure extends RuntimeException {
    public ReleaseItemFailure(String reason) {
        super(reason, null, false, false);
    }
}
