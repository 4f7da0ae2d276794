package io.berth.core.auth;

import io.berth.core.error.ManagementException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A role on a namespace or repository: read pulls, write also pushes, admin also deletes and manages. */
public enum Role {
    READ(EnumSet.of(Action.PULL)),
    WRITE(EnumSet.of(Action.PULL, Action.PUSH)),
    ADMIN(EnumSet.allOf(Action.class));

    private final Set<Action> actions;

    Role(Set<Action> actions) {
        this.actions = actions;
    }

    public Set<Action> actions() {
        return EnumSet.copyOf(actions);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        if (value != null) {
            for (Role role : values()) {
                if (role.wireName().equals(value)) {
                    return role;
                }
            }
        }
        throw ManagementException.badRequest("role must be one of read, write, admin");
    }
}
