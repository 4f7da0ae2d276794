package io.berth.core.error;

/**
 * A protocol failure the client caused or must know about: carries the OCI code, an optional
 * status override (the spec answers some codes with more than one status) and a detail for humans.
 */
public class RegistryException extends RuntimeException {
    private final OciErrorCode code;
    private final int status;
    private final String detail;

    public RegistryException(OciErrorCode code, String detail) {
        this(code, code.status(), detail);
    }

    public RegistryException(OciErrorCode code, int status, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    public OciErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    /** The error's {@code message}: the code's own, unless a refusal has something more useful to say. */
    public String message() {
        return code.message();
    }
}
