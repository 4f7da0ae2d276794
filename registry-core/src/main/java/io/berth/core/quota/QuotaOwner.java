package io.berth.core.quota;

/**
 * Whose quota a request names: an organization's or a user's own namespace. The paths say which
 * (Quay's {@code /organization/{orgname}/quota} and {@code /superuser/users/{namespace}/quota}), and
 * a namespace of the other kind is not found there.
 */
public record QuotaOwner(String namespace, Kind kind) {

    public enum Kind {
        ORGANIZATION("organization"), USER("user");

        final String column;

        Kind(String column) {
            this.column = column;
        }
    }

    public static QuotaOwner organization(String name) {
        return new QuotaOwner(name, Kind.ORGANIZATION);
    }

    public static QuotaOwner user(String name) {
        return new QuotaOwner(name, Kind.USER);
    }
}
