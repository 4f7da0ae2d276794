package io.berth.core.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a caller may do to a repository, named as in registry token scopes. */
public enum Action {
    PULL, PUSH, DELETE;

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
                case "*" -> parsed.addAll(EnumSet.allOf(Action.class));
                default -> {
                    // unknown actions are never granted
                }
            }
        }
        return parsed;
    }
}
