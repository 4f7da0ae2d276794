package io.berth.api.auth;

import io.berth.core.auth.Action;
import io.berth.core.domain.RepositoryName;
import java.util.Optional;
import java.util.Set;

/**
 * One scope of the Docker token protocol: {@code repository:<name>:<actions>} (the type may carry a
 * resource class, {@code repository(plugin)}), or {@code registry:catalog:*}. Scopes that name no
 * valid repository are ignored, never granted.
 */
public record Scope(String type, String name, Set<Action> actions) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";

    public static Optional<Scope> parse(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        String type = scope.substring(0, first);
        int resourceClass = type.indexOf('(');
        if (resourceClass > 0) {
            type = type.substring(0, resourceClass);
        }
        String name = scope.substring(first + 1, last);
        String actions = scope.substring(last + 1);
        if (type.equals(REPOSITORY) && RepositoryName.isValid(name)) {
            return Optional.of(new Scope(type, name, Action.parseList(actions)));
        }
        if (type.equals(REGISTRY) && name.equals("catalog")) {
            return Optional.of(new Scope(type, name, Set.of()));
        }
        return Optional.empty();
    }

    public boolean isCatalog() {
        return type.equals(REGISTRY);
    }
}
