package io.berth.api.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.response.ValidatableResponse;

/** Checks that a response carries the OCI error body with the expected code and status. */
public final class OciErrorAssertions {
    private OciErrorAssertions() {
    }

    public static ValidatableResponse ociError(ValidatableResponse response, int status, String code) {
        return response.statusCode(status)
                .header("Docker-Distribution-API-Version", equalTo("registry/2.0"))
                .body("errors[0].code", equalTo(code))
                .body("errors[0].message", notNullValue());
    }
}
