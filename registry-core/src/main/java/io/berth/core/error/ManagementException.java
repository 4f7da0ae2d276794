package io.berth.core.error;

/**
 * A management operation the caller cannot have: its kind decides the HTTP status and the error
 * type of the API error body; the detail says why, for humans.
 */
public class ManagementException extends RuntimeException {

    public enum Kind {
        BAD_REQUEST(400, "invalid_request"),
        UNAUTHORIZED(401, "unauthorized"),
        FORBIDDEN(403, "forbidden"),
        NOT_FOUND(404, "not_found"),
        CONFLICT(409, "conflict"),
        TOO_MANY_REQUESTS(429, "too_many_requests");

        private final int status;
        private final String title;

        Kind(int status, String title) {
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }
    }

    private final Kind kind;

    public ManagementException(Kind kind, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ManagementException badRequest(String detail) {
        return new ManagementException(Kind.BAD_REQUEST, detail);
    }

    public static ManagementException notFound(String detail) {
        return new ManagementException(Kind.NOT_FOUND, detail);
    }

    public static ManagementException forbidden(String detail) {
        return new ManagementException(Kind.FORBIDDEN, detail);
    }

    public static ManagementException conflict(String detail) {
        return new ManagementException(Kind.CONFLICT, detail);
    }

    public static ManagementException unauthorized(String detail) {
        return new ManagementException(Kind.UNAUTHORIZED, detail);
    }

    public static ManagementException tooManyRequests(String detail) {
        return new ManagementException(Kind.TOO_MANY_REQUESTS, detail);
    }
}
