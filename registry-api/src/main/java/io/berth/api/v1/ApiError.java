package io.berth.api.v1;

/** The management API's one error body (Quay's ApiError): HTTP status, a type URI, a short title and a detail. */
public record ApiError(int status, String type, String title, String detail) {

    public static ApiError of(int status, String title, String detail) {
        return new ApiError(status, "/api/v1/error/" + title, title, detail);
    }
}
