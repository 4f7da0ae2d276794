package io.berth.core.domain;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import java.util.regex.Pattern;

/**
 * A repository name per the distribution spec grammar: path components of lower-case alphanumerics
 * joined by '.', '_', '__' or runs of '-', separated by '/'. The first component is the namespace.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    /** Distribution limits a name to 255 characters; longer names are refused, never a 500. */
    public static final int MAX_LENGTH = 255;

    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    public RepositoryName {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches()) {
            throw new RegistryException(OciErrorCode.NAME_INVALID,
                    "invalid repository name: " + Digest.abbreviate(String.valueOf(value)));
        }
    }

    public static RepositoryName parse(String value) {
        return new RepositoryName(value);
    }

    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && GRAMMAR.matcher(value).matches();
    }

    /** The first path component: the organization or user the repository belongs to. */
    public String namespace() {
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }
}
