package io.berth.core.domain;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import java.util.regex.Pattern;

/** A tag per the distribution spec: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}. */
public record Tag(String value) implements Comparable<Tag> {

    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (!isValid(value)) {
            throw new RegistryException(OciErrorCode.TAG_INVALID, "invalid tag: " + Digest.abbreviate(String.valueOf(value)));
        }
    }

    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(Tag other) {
        return value.compareTo(other.value);
    }
}
