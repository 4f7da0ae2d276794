package io.berth.core.account;

import io.berth.core.error.ManagementException;
import java.util.regex.Pattern;

/** The grammar of account names: users and organizations name namespaces, so they are repository name components. */
public final class Names {
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    /** Quay's robot short-name grammar. */
    private static final Pattern ROBOT = Pattern.compile("[a-z][a-z0-9_]{1,254}");
    private static final int MAX_NAMESPACE_LENGTH = 255;

    private Names() {
    }

    public static String requireNamespace(String name, String what) {
        if (name == null || name.length() < 2 || name.length() > MAX_NAMESPACE_LENGTH || !NAMESPACE.matcher(name).matches()) {
            throw ManagementException.badRequest(what + " must be 2 to 255 lowercase letters or digits, separated by '.', '_' or '-'");
        }
        return name;
    }

    public static String requireRobotShortName(String name) {
        if (name == null || !ROBOT.matcher(name).matches()) {
            throw ManagementException.badRequest("robot name must start with a lowercase letter followed by 1 to 254 lowercase letters, digits or '_'");
        }
        return name;
    }
}
