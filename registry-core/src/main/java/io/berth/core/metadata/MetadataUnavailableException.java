package io.berth.core.metadata;

/** The metadata database failed or could not be reached; answered as 503, never as a client error. */
public class MetadataUnavailableException extends RuntimeException {
    public MetadataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
