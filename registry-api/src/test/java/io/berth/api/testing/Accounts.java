package io.berth.api.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Sets up who may do what, through the management API as an administrator would. */
public final class Accounts {
    private Accounts() {
    }

    /** A request as {@code user}. */
    public static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password).contentType(ContentType.JSON);
    }

    public static RequestSpecification asAdmin() {
        return as(Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
    }

    /** Creates a user with {@code password}; their namespace is their name. */
    public static void createUser(String username, String password) {
        asAdmin().body(new JsonObject().put("username", username).put("email", username + "@example.com").put("password", password).encode())
                .post("/api/v1/superuser/users/").then().statusCode(201);
    }

    /** Creates an organization administered by {@code admin} (who must exist). */
    public static void createOrganization(String name, String admin, String adminPassword) {
        as(admin, adminPassword).body(new JsonObject().put("name", name).encode())
                .post("/api/v1/organization/").then().statusCode(201);
    }

    public static void setMember(String org, String user, String role) {
        asAdmin().body(new JsonObject().put("role", role).encode())
                .put("/api/v1/organization/" + org + "/members/" + user).then().statusCode(200);
    }

    /** Creates a robot of {@code org} and answers its token. */
    public static String createRobot(String org, String shortName) {
        return asAdmin().body("{}").put("/api/v1/organization/" + org + "/robots/" + shortName)
                .then().statusCode(201).extract().path("token");
    }

    /** Grants a user or robot ({@code org+name}) a role on a repository. */
    public static void grant(String repository, String subject, String role) {
        asAdmin().body(new JsonObject().put("role", role).encode())
                .put("/api/v1/repository/" + repository + "/permissions/user/" + subject).then().statusCode(200);
    }

    public static void makePublic(String repository) {
        asAdmin().body(new JsonObject().put("visibility", "public").encode())
                .post("/api/v1/repository/" + repository + "/changevisibility").then().statusCode(200);
    }

    /** Creates an access token of {@code user} and answers it as the API did (with its secret). */
    public static JsonObject createAccessToken(String user, String password, String name, boolean readWrite, List<String> namespaces) {
        JsonObject body = new JsonObject().put("name", name)
                .put("expiration", new JsonObject().put("isSet", false))
                .put("scope", new JsonObject().put("allRegistries", namespaces.isEmpty()).put("modeRW", readWrite)
                        .put("registryIds", namespaces));
        return new JsonObject(as(user, password).body(body.encode()).post("/api/v1/tokens")
                .then().statusCode(201).extract().asString());
    }
}
