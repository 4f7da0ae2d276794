package io.berth.api.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.response.ValidatableResponse;

/** Checks the management API's error body: status, type, title and a detail for humans. */
public final class ApiErrorAssertions {
    private ApiErrorAssertions() {
    }

    public static ValidatableResponse apiError(ValidatableResponse response, int status, String title) {
        return response.statusCode(status)
                .contentType("application/json")
                .body("status", equalTo(status))
                .body("title", equalTo(title))
                .body("type", equalTo("/api/v1/error/" + title))
                .body("detail", notNullValue());
    }
}
