package io.berth.core.cache;

/**
 * A cached fact that a committed change made stale: what a reference of a repository resolves to,
 * whether a repository links a blob, or anything about authentication and permissions. Sent to every node so their caches drop it too.
 */
public record Invalidation(Kind kind, String repository, String key) {

    public enum Kind {
        MANIFEST, BLOB_LINK,
        /** A blob became a candidate for collection or is being deleted: no repository's cached link to it holds. */
        BLOB,
        /** Something about who may do what changed (users, robots, tokens, permissions, visibility). */
        AUTH,
        /** A repository was deleted: nothing cached of it holds any more. */
        REPOSITORY,
        /** An immutability rule was created, changed or deleted: no repository's cached rules hold. */
        IMMUTABILITY,
        /** A namespace's quota or its limits changed (the key is the namespace). */
        QUOTA
    }

    public static Invalidation repository(String repository) {
        return new Invalidation(Kind.REPOSITORY, repository, "");
    }

    public static Invalidation immutability() {
        return new Invalidation(Kind.IMMUTABILITY, "", "");
    }

    public static Invalidation auth() {
        return new Invalidation(Kind.AUTH, "", "");
    }

    public static Invalidation quota(String namespace) {
        return new Invalidation(Kind.QUOTA, "", namespace);
    }

    public static Invalidation manifest(String repository, String reference) {
        return new Invalidation(Kind.MANIFEST, repository, reference);
    }

    public static Invalidation blob(String digest) {
        return new Invalidation(Kind.BLOB, "", digest);
    }

    public static Invalidation blobLink(String repository, String digest) {
        return new Invalidation(Kind.BLOB_LINK, repository, digest);
    }

    /** Names, tags and digests contain no newline, so it separates the fields unambiguously. */
    public String encode() {
        return kind.name() + "\n" + repository + "\n" + key;
    }

    /** The invalidation in {@code payload}, or null when it is not one (ignored, never fatal). */
    public static Invalidation decode(String payload) {
        String[] parts = payload.split("\n", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Invalidation(Kind.valueOf(parts[0]), parts[1], parts[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
