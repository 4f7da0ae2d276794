package io.berth.api.v1;

/**
 * The management API's one error body: Quay's ApiError (HTTP status, a type URI, a short title and
 * a detail for humans) and the Container Registry API's {@code error}, the same message again, so
 * that a client written for either finds it where it looks.
 */
public record ApiError(int status, String type, String title, String detail, String error) {

    public static ApiError of(int status, String title, String detail) {
        return new ApiError(status, "/api/v1/error/" + title, title, detail, detail);
    }
}
