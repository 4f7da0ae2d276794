package io.berth.api.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Every in-process test talks to the registry as the administrator unless it says otherwise
 * ({@code given().auth().none()} or its own credentials): the protocol tests are about the
 * protocol, the auth tests opt out explicitly.
 */
public class SignInAsAdministrator implements QuarkusTestBeforeEachCallback {
    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.preemptive().basic(Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
    }
}
