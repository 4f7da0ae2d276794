package io.berth.core.account;

import io.berth.core.auth.Principal;
import io.berth.core.error.ManagementException;

/** Who may manage accounts: people (directly or through a read-write token), never robots or anonymous callers. */
public final class Actors {
    private Actors() {
    }

    public static Principal.User requireUser(Principal actor) {
        if (actor instanceof Principal.Anonymous) {
            throw ManagementException.unauthorized("authentication required");
        }
        Principal.User user = actor.user();
        if (user == null || actor instanceof Principal.Token token && !token.readWrite()) {
            throw ManagementException.forbidden(actor.name() + " may not manage accounts");
        }
        return user;
    }

    public static Principal.User requireSuperuser(Principal actor) {
        Principal.User user = requireUser(actor);
        if (!isSuperuser(actor)) {
            throw ManagementException.forbidden("only administrators may do this");
        }
        return user;
    }

    /** Whether the caller acts as a superuser: one in person, or through a token over all namespaces. */
    public static boolean isSuperuser(Principal actor) {
        Principal.User user = actor.user();
        return user != null && user.superuser() && !(actor instanceof Principal.Token token && !token.allNamespaces());
    }
}
