package io.berth.core.metadata;

/**
 * A statement failed on a value PostgreSQL cannot hold or compare (SQLSTATE class 22, "data
 * exception": a NUL character in text, a number or a time out of range, text that is not of the
 * column's type). The value came from a request, so this is the caller's fault, not the database's:
 * the management API answers it with 400. It is a {@link MetadataUnavailableException} so that code
 * which does not tell the two apart still sees a failed metadata statement, as it always did.
 */
public class RejectedValueException extends MetadataUnavailableException {
    private static final String DATA_EXCEPTION_CLASS = "22";

    private final String sqlState;

    RejectedValueException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** Whether PostgreSQL refused a value rather than failed. */
    static boolean isRejectedValue(String sqlState) {
        return sqlState != null && sqlState.startsWith(DATA_EXCEPTION_CLASS);
    }

    /** What was refused, in words that hold whichever value it was (never the value itself). */
    public String reason() {
        return switch (sqlState) {
            case "22021", "22P05" -> "a text value holds a character that cannot be stored (such as NUL, \\u0000)";
            case "22001" -> "a text value is too long";
            case "22003", "22008" -> "a number or time is out of range";
            default -> "a value is not of the kind this operation takes";
        };
    }
}
