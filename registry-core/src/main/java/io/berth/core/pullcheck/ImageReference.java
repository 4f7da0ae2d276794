package io.berth.core.pullcheck;

import io.berth.core.domain.Digest;
import io.berth.core.domain.Reference;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;

/**
 * An image as a client names it for a pull: {@code <repository>:<tag>}, {@code <repository>@<digest>}
 * or both (the digest decides, as it does for docker and containerd), optionally behind this
 * registry's host ({@code registry.example.com/acme/app:1.0}); without tag or digest, {@code latest},
 * as clients assume.
 */
public record ImageReference(RepositoryName repository, Reference reference) {
    private static final int MAX_LENGTH = 1024;

    /**
     * Parses {@code text}; {@code registryHost} (host and port as clients reach this registry) is
     * dropped from its front when it is there. A 400 says what is wrong.
     */
    public static ImageReference parse(String text, String registryHost) {
        if (text == null || text.isEmpty()) {
            throw ManagementException.badRequest("image is required: <repository>:<tag> or <repository>@<digest>");
        }
        if (text.length() > MAX_LENGTH) {
            throw ManagementException.badRequest("image is longer than " + MAX_LENGTH + " characters");
        }
        String rest = registryHost != null && text.startsWith(registryHost + "/") ? text.substring(registryHost.length() + 1) : text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (!RepositoryName.isValid(rest)) {
            throw ManagementException.badRequest("image names no valid repository: " + shown(rest)
                    + " (lower-case path components; <repository>:<tag> or <repository>@<digest>)");
        }
        if (tag != null && !Tag.isValid(tag)) {
            throw ManagementException.badRequest("image names no valid tag: " + shown(tag));
        }
        Reference reference;
        if (digest != null) {
            try {
                reference = new Reference.ByDigest(Digest.parse(digest));
            } catch (RegistryException invalid) {
                throw ManagementException.badRequest("image names no valid digest: " + invalid.detail());
            }
        } else {
            reference = new Reference.ByTag(new Tag(tag == null ? "latest" : tag));
        }
        return new ImageReference(RepositoryName.parse(rest), reference);
    }

    @Override
    public String toString() {
        return repository + (reference instanceof Reference.ByDigest ? "@" : ":") + reference;
    }

    private static String shown(String text) {
        return text.length() > 80 ? "'" + text.substring(0, 80) + "...'" : "'" + text + "'";
    }
}
