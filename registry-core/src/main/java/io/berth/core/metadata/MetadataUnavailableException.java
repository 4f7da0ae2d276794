package io.berth.core.metadata;

/** The metadata database failed or could not be reached; answered as 503, never as a client error. */
public class MetadataUnavailableException extends RuntimeException {
    public MetadataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost cause, as its type and message: enough for one log line, without a stack trace. */
    public String rootCause() {
        Throwable root = this;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
