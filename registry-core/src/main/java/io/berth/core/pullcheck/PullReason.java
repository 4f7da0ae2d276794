package io.berth.core.pullcheck;

import java.util.Locale;

/**
 * Why a pull would succeed or fail: a stable code for programs (its {@link #code}, in the answer's
 * {@code reason}) and a sentence for people (in its {@code message}).
 */
public enum PullReason {
    /** Everything a pull needs is there, and the credentials may have it. */
    PULLABLE,
    /** The username and password (robot token, access token) prove no one: unknown, wrong, revoked or expired. */
    UNKNOWN_CREDENTIALS,
    /**
     * The credentials may not pull the repository, or it does not exist: the two are told apart only
     * to callers whose rights would cover the repository, as /v2 answers DENIED to the others.
     */
    NO_PERMISSION,
    /** The credentials' rights cover the repository, but it does not exist. */
    NO_SUCH_REPOSITORY,
    /** The repository has no (unexpired) tag of that name. */
    NO_SUCH_TAG,
    /** The repository has no manifest with that digest. */
    NO_SUCH_DIGEST,
    /** The index lists no manifest for the platform asked for (or the image is of another platform). */
    PLATFORM_NOT_FOUND,
    /** A manifest, config or layer the pull needs is not in the repository (or is being garbage collected). */
    MISSING_CONTENT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
