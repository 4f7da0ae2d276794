package io.berth.core.release;

import io.berth.core.domain.Digest;
import io.berth.core.domain.Reference;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;

/**
 * An image named as clients name it within this registry: {@code repository:tag} or
 * {@code repository@digest}, without a host.
 */
public record ImageReference(RepositoryName repository, Reference reference) {

    /** {@code repository:tag} or {@code repository@digest}; 400 naming {@code field} otherwise. */
    public static ImageReference parse(String text, String field) {
        int at = text.indexOf('@');
        try {
            if (at >= 0) {
                return new ImageReference(repository(text.substring(0, at), field),
                        new Reference.ByDigest(Digest.parse(text.substring(at + 1))));
            }
            int colon = text.lastIndexOf(':');
            if (colon < 0 || colon < text.lastIndexOf('/')) {
                throw ManagementException.badRequest(field + " must be repository:tag or repository@digest");
            }
            String tag = text.substring(colon + 1);
            if (!Tag.isValid(tag)) {
                throw ManagementException.badRequest(field + " has an invalid tag (tags match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})");
            }
            return new ImageReference(repository(text.substring(0, colon), field), new Reference.ByTag(new Tag(tag)));
        } catch (RegistryException invalidDigest) {
            throw ManagementException.badRequest(field + " has an invalid digest");
        }
    }

    /** A target: {@code repository:tag} only, since the copy ends by setting that tag. */
    public static ImageReference parseTagged(String text, String field) {
        if (text.indexOf('@') >= 0) {
            throw ManagementException.badRequest(field + " must be repository:tag (a release sets the tag)");
        }
        return parse(text, field);
    }

    private static RepositoryName repository(String name, String field) {
        if (!RepositoryName.isValid(name)) {
            throw ManagementException.badRequest(field + " has an invalid repository name (lower-case path components such as team/app)");
        }
        return RepositoryName.parse(name);
    }

    /** The tag of a target. */
    public Tag tag() {
        return ((Reference.ByTag) reference).tag();
    }

    @Override
    public String toString() {
        return repository + (reference instanceof Reference.ByDigest ? "@" : ":") + reference;
    }
}
