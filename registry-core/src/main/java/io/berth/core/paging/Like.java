package io.berth.core.paging;

/** Text searched for with SQL {@code LIKE ... ESCAPE '\'}: its wildcards and escapes taken literally. */
public final class Like {
    private Like() {
    }

    /** A pattern matching any text that contains {@code text}. */
    public static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
