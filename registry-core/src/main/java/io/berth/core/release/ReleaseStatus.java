package io.berth.core.release;

/** The statuses of a release (the delivery platform's words) and of its items ({@code upload_status}). */
public final class ReleaseStatus {
    public static final String CREATING = "creating";
    public static final String RETRYING = "retrying";
    public static final String SUCCESS = "success";
    public static final String FAILED = "failed";
    /** An item not copied yet; a release no worker has taken yet. */
    public static final String WAITING = "waiting";
    /** A release a worker is copying. */
    public static final String UPLOADING = "uploading";

    private ReleaseStatus() {
    }

    /** Whether a worker still has to copy some of the release: it cannot be retried or deleted meanwhile. */
    public static boolean inProgress(String status) {
        return CREATING.equals(status) || RETRYING.equals(status);
    }
}
