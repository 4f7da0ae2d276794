package io.berth.core.immutability;

/** A tag an immutability rule protects, in the repository named. */
public record ProtectedTag(String repository, String tag, ImmutabilityRule rule) {

    /** The refusal of a change to the tag; {@code consequence} says what cannot be done (": it cannot be deleted"). */
    public ImmutableTagException refusal(String consequence) {
        return new ImmutableTagException(tag, repository, rule, consequence);
    }
}
