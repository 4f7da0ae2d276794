package io.berth.api.testing;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/**
 * Checks the management API's error body: status, type, title, a detail for humans (which names no
 * Java type or framework internals), and the Container Registry API's {@code error} carrying the
 * same message as the detail.
 */
public final class ApiErrorAssertions {
    /** What a Java type name, a framework's message or a stack trace would put in a detail. */
    public static final Pattern JAVA_NAMES = Pattern.compile(
            "\\b(?:java|javax|jakarta)\\.[a-z]+\\.|com\\.fasterxml|io\\.berth\\.|io\\.quarkus|io\\.vertx|org\\.jboss|org\\.postgresql"
                    + "|Exception\\b|JsonToken|\\bat [a-z]+\\.[a-z]+\\.");

    private ApiErrorAssertions() {
    }

    public static ValidatableResponse apiError(ValidatableResponse response, int status, String title) {
        return response.statusCode(status)
                .contentType("application/json")
                .body("status", equalTo(status))
                .body("title", equalTo(title))
                .body("type", equalTo("/api/v1/error/" + title))
                .body("detail", notNullValue())
                .body("detail", not(namesJavaTypes()))
                .body("", errorRepeatsDetail());
    }

    /** A detail that names a Java type or quotes a framework. */
    public static Matcher<String> namesJavaTypes() {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(String detail) {
                return JAVA_NAMES.matcher(detail).find();
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a detail naming Java types (" + JAVA_NAMES.pattern() + ")");
            }
        };
    }

    /** The whole body: its {@code error} is its {@code detail}. */
    public static Matcher<Map<String, ?>> errorRepeatsDetail() {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Map<String, ?> body) {
                return body.get("detail") != null && body.get("detail").equals(body.get("error"));
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("an error body whose error equals its detail");
            }
        };
    }
}
