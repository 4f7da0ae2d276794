package io.berth.core.storage;

/**
 * The blob store could not be reached or failed on its side (an object store outage, a 5xx). Clients
 * get 503 and may retry; nothing was committed.
 */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
