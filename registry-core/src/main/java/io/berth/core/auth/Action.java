package io.berth.core.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a caller may do to a repository: the registry token scopes' pull, push and delete, and
 * administering it (its permissions, visibility and state), which no token scope grants.
 */
public enum Action {
    PULL, PUSH, DELETE, ADMIN;

    /** The actions a token scope can name. */
    public static final Set<Action> SCOPED = EnumSet.of(PULL, PUSH, DELETE);
    /** What a read-only repository still allows: reading it and administering it, never changing its content. */
    public static final Set<Action> READ_ONLY = EnumSet.of(PULL, ADMIN);

    public String scopeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The actions a scope's action list names; {@code *} is all of them, unknown words none. */
    public static Set<Action> parseList(String actions) {
        Set<Action> parsed = EnumSet.noneOf(Action.class);
        for (String word : actions.split(",")) {
            switch (word.trim()) {
                case "pull" -> parsed.add(PULL);
                case "push" -> parsed.add(PUSH);
                case "delete" -> parsed.add(DELETE);
                case "*" -> parsed.addAll(SCOPED);
                default -> {
                    // unknown actions are never granted
                }
            }
        }
        return parsed;
    }
}
