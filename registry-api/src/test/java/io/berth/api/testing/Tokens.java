package io.berth.api.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Registry tokens as a client gets and presents them. */
public final class Tokens {
    private Tokens() {
    }

    /** A token from {@code /v2/token} for {@code scopes}, signing in with {@code authorization} (null: anonymously). */
    public static String fetch(String authorization, String... scopes) {
        RequestSpecification request = given().auth().none().queryParam("service", "berth");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (String scope : scopes) {
            request.queryParam("scope", scope);
        }
        return request.get("/v2/token").then().statusCode(200).extract().path("token");
    }

    /** A request presenting {@code token}, and nothing else. */
    public static RequestSpecification bearer(String token) {
        return given().auth().none().header("Authorization", "Bearer " + token);
    }
}
