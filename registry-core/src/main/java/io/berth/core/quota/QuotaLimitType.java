package io.berth.core.quota;

import io.berth.core.error.ManagementException;

/** Quay's quota limit types: a Warning is recorded when usage crosses it, a Reject refuses pushes past it. */
public enum QuotaLimitType {
    WARNING("Warning"), REJECT("Reject");

    private final String wireName;

    QuotaLimitType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type named {@code value} as Quay spells it (case aside); 400 for anything else. */
    public static QuotaLimitType parse(String value) {
        for (QuotaLimitType type : values()) {
            if (type.wireName.equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw ManagementException.badRequest("type must be \"Warning\" or \"Reject\"");
    }
}
