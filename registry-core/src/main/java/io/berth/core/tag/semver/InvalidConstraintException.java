package io.berth.core.tag.semver;

/** A version constraint that does not parse; the message says where and why, for the caller. */
public class InvalidConstraintException extends IllegalArgumentException {
    public InvalidConstraintException(String message) {
        super(message);
    }
}
