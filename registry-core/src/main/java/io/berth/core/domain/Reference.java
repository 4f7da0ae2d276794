package io.berth.core.domain;

/** What follows {@code /manifests/}: a tag or a digest. */
public sealed interface Reference {

    record ByTag(Tag tag) implements Reference {
        @Override
        public String toString() {
            return tag.value();
        }
    }

    record ByDigest(Digest digest) implements Reference {
        @Override
        public String toString() {
            return digest.toString();
        }
    }

    static Reference parse(String value) {
        return Digest.looksLikeDigest(value) ? new ByDigest(Digest.parse(value)) : new ByTag(new Tag(value));
    }
}
