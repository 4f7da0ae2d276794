package io.berth.core.metadata;

/**
 * Text a client sent, on its way into SQL when it is not a validated name, tag, digest or id.
 * PostgreSQL's text and jsonb cannot hold U+0000 and fail the whole statement that binds one, so a
 * client could otherwise turn any lookup into a database error. No stored name, tag, digest or
 * username contains U+0000, which decides each use without asking the database:
 * <ul>
 * <li>compared for equality, text holding one matches nothing ({@link #storable});
 * <li>as the lower bound of a keyset page, it bounds the same rows once cut at its first U+0000
 * ({@link #orderBound});
 * <li>recorded for people to read, U+0000 is shown as U+FFFD ({@link #recordable}).
 * </ul>
 */
public final class ClientText {
    private static final char NUL = '\u0000';

    private ClientText() {
    }

    /** Whether the text can be bound as it is (null can). */
    public static boolean storable(String text) {
        return text == null || text.indexOf(NUL) < 0;
    }

    /**
     * A bound selecting exactly the stored values above {@code after}. For a value {@code t} without
     * U+0000 and a prefix {@code p} of {@code after} that ends before its first U+0000, {@code t > after}
     * exactly when {@code t > p}: they differ before the cut, or {@code t} is {@code p} itself (below
     * both), or {@code t} goes on past it with a character above U+0000 (above both).
     */
    public static String orderBound(String after) {
        if (after == null) {
            return null;
        }
        int nul = after.indexOf(NUL);
        return nul < 0 ? after : after.substring(0, nul);
    }

    /** The text as a log can keep it. */
    public static String recordable(String text) {
        return storable(text) ? text : text.replace(NUL, '\uFFFD');
    }
}
