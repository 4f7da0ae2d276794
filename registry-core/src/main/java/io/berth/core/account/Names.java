package io.berth.core.account;

import io.berth.core.error.ManagementException;
import java.util.regex.Pattern;

/**
 * The grammar of account names (users and organizations name namespaces, so they are repository
 * name components), and the bounds of what else describes an account.
 */
public final class Names {
    /** The longest address SMTP carries (RFC 5321). */
    private static final int MAX_EMAIL_LENGTH = 254;
    /** Robots' descriptions and metadata are short notes, as long as a repository's description at most. */
    private static final int MAX_NOTE_LENGTH = 64 * 1024;
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

    /** An email address, or null; only its length is checked (addresses are for people to read). */
    public static String requireEmail(String email) {
        if (email != null && email.length() > MAX_EMAIL_LENGTH) {
            throw ManagementException.badRequest("email must be at most " + MAX_EMAIL_LENGTH + " characters");
        }
        return email;
    }

    /** A free-text note (a robot's description, its metadata), or null. */
    public static String requireNote(String note, String what) {
        if (note != null && note.length() > MAX_NOTE_LENGTH) {
            throw ManagementException.badRequest(what + " must be at most " + MAX_NOTE_LENGTH + " characters");
        }
        return note;
    }

    public static String requireRobotShortName(String name) {
        if (name == null || !ROBOT.matcher(name).matches()) {
            throw ManagementException.badRequest("robot name must start with a lowercase letter followed by 1 to 254 lowercase letters, digits or '_'");
        }
        return name;
    }
}
