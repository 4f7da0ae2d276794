package io.berth.core.quota;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.vertx.core.json.JsonObject;

/**
 * A push refused by a Reject limit: it would take the namespace's usage past the limit. The message
 * names the namespace, its usage and the limit, since that is what a client prints for a 403
 * {@code DENIED}; the detail repeats it with the exact byte counts.
 */
public class QuotaExceededException extends RegistryException {
    /** The SQLSTATE the usage triggers refuse with (V12__namespace_quotas.sql). */
    public static final String SQL_STATE = "BQ001";

    private final String message;

    public QuotaExceededException(String namespace, long usedBytes, long addingBytes, long rejectBytes) {
        this(text(namespace, usedBytes, addingBytes, rejectBytes), namespace, usedBytes, addingBytes, rejectBytes);
    }

    private QuotaExceededException(String message, String namespace, long usedBytes, long addingBytes, long rejectBytes) {
        super(OciErrorCode.DENIED, message + " (namespace " + namespace + ": " + usedBytes + " bytes used, "
                + (addingBytes > 0 ? addingBytes + " bytes more requested, " : "") + "limit " + rejectBytes + " bytes)");
        this.message = message;
    }

    /** The refusal the usage triggers raised, from the figures they put in the error's detail. */
    public static QuotaExceededException fromDatabaseDetail(String detail) {
        JsonObject figures = new JsonObject(detail);
        return new QuotaExceededException(figures.getString("namespace"), figures.getLong("used_bytes"),
                figures.getLong("adding_bytes"), figures.getLong("reject_bytes"));
    }

    @Override
    public String message() {
        return message;
    }

    private static String text(String namespace, long usedBytes, long addingBytes, long rejectBytes) {
        String usage = "quota exceeded: namespace " + namespace + " uses " + ByteSizes.human(usedBytes) + " of its "
                + ByteSizes.human(rejectBytes) + " limit";
        return addingBytes > 0 ? usage + ", and this push would add " + ByteSizes.human(addingBytes) : usage;
    }
}
