package io.berth.core.tag.policy;

import java.time.Instant;

/** A live tag as a policy weighs it: its name, when it was last pushed or moved, and the manifest it names. */
public record TagCandidate(String name, Instant pushedAt, long manifestId) {
}
