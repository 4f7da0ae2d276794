package io.berth.api.v1;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Users, organizations, membership roles and repository permissions through the management API. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class AccountsApiTest {
    private static final String PASSWORD = "account-password";

    @Test
    void administratorsCreateListAndDeleteUsers() {
        String user = unique("user");
        String generated = Accounts.asAdmin().body("{\"username\":\"" + user + "\",\"email\":\"u@example.com\"}")
                .post("/api/v1/superuser/users/").then().statusCode(201)
                .body("username", equalTo(user))
                .body("super_user", equalTo(false))
                .body("password", notNullValue())
                .extract().path("password");
        Accounts.as(user, generated).get("/api/v1/user/").then().statusCode(200)
                .body("username", equalTo(user)).body("email", equalTo("u@example.com")).body("$", not(hasKey("password")));
        Accounts.asAdmin().queryParam("limit", 1000).get("/api/v1/superuser/users/").then().statusCode(200)
                .body("users.username", hasItem(user));

        // The user changes their password; the old one stops working at once.
        Accounts.as(user, generated).body("{\"password\":\"" + PASSWORD + "\"}").put("/api/v1/user/").then().statusCode(200);
        apiError(Accounts.as(user, generated).get("/api/v1/user/").then(), 401, "unauthorized");
        Accounts.as(user, PASSWORD).get("/api/v1/user/").then().statusCode(200);
        apiError(Accounts.as(user, PASSWORD).body("{\"password\":\"short\"}").put("/api/v1/user/").then(), 400, "invalid_request");

        // Only administrators manage users.
        apiError(Accounts.as(user, PASSWORD).get("/api/v1/superuser/users/").then(), 403, "forbidden");
        apiError(Accounts.as(user, PASSWORD).body("{\"username\":\"another\"}").post("/api/v1/superuser/users/").then(), 403, "forbidden");
        apiError(Accounts.asAdmin().body("{\"username\":\"" + user + "\"}").post("/api/v1/superuser/users/").then(), 409, "conflict");
        apiError(Accounts.asAdmin().body("{\"username\":\"Not Valid\"}").post("/api/v1/superuser/users/").then(), 400, "invalid_request");
        apiError(Accounts.asAdmin().delete("/api/v1/superuser/users/" + Credentials.ADMIN).then(), 400, "invalid_request");

        Accounts.asAdmin().delete("/api/v1/superuser/users/" + user).then().statusCode(204);
        apiError(Accounts.as(user, PASSWORD).get("/api/v1/user/").then(), 401, "unauthorized");
        apiError(Accounts.asAdmin().delete("/api/v1/superuser/users/" + user).then(), 404, "not_found");
    }

    @Test
    void aUserWithRepositoriesIsNotDeletedFromUnderThem() {
        String user = unique("keeper");
        Accounts.createUser(user, PASSWORD);
        Registry.pushImage(user + "/app", "v1");
        apiError(Accounts.asAdmin().delete("/api/v1/superuser/users/" + user).then(), 409, "conflict");
    }

    @Test
    void organizationMembersActByTheirRole() {
        String founder = unique("founder");
        String writer = unique("writer");
        String reader = unique("reader");
        for (String user : new String[] {founder, writer, reader}) {
            Accounts.createUser(user, PASSWORD);
        }
        String org = unique("team");
        Accounts.as(founder, PASSWORD).body("{\"name\":\"" + org + "\",\"email\":\"team@example.com\"}")
                .post("/api/v1/organization/").then().statusCode(201)
                .body("name", equalTo(org)).body("email", equalTo("team@example.com"));
        apiError(Accounts.as(founder, PASSWORD).body("{\"name\":\"" + org + "\"}").post("/api/v1/organization/").then(), 409, "conflict");
        apiError(Accounts.as(founder, PASSWORD).body("{\"name\":\"" + founder + "\"}").post("/api/v1/organization/").then(),
                409, "conflict");

        Accounts.as(founder, PASSWORD).body("{\"role\":\"write\"}").put("/api/v1/organization/" + org + "/members/" + writer)
                .then().statusCode(200).body("name", equalTo(writer)).body("role", equalTo("write"));
        Accounts.as(founder, PASSWORD).body("{\"role\":\"read\"}").put("/api/v1/organization/" + org + "/members/" + reader)
                .then().statusCode(200);
        Accounts.as(founder, PASSWORD).get("/api/v1/organization/" + org + "/members").then().statusCode(200)
                .body("members.name", contains(sorted(founder, reader, writer)))
                .body("members.find { it.name == '" + founder + "' }.role", equalTo("admin"));
        Accounts.as(founder, PASSWORD).get("/api/v1/organization/" + org + "/members/" + reader).then().body("role", equalTo("read"));
        Accounts.as(reader, PASSWORD).get("/api/v1/organization/" + org).then().statusCode(200).body("name", equalTo(org));
        apiError(Accounts.as(founder, PASSWORD).body("{\"role\":\"owner\"}").put("/api/v1/organization/" + org + "/members/" + reader)
                .then(), 400, "invalid_request");
        apiError(Accounts.as(writer, PASSWORD).body("{\"role\":\"admin\"}").put("/api/v1/organization/" + org + "/members/" + writer)
                .then(), 403, "forbidden");
        apiError(Accounts.as(founder, PASSWORD).body("{\"role\":\"read\"}").put("/api/v1/organization/" + org + "/members/nobody" + org)
                .then(), 404, "not_found");

        // Writers push new repositories into the organization; readers pull them and push nothing.
        String repository = org + "/service";
        String writerToken = Tokens.fetch(Credentials.basic(writer, PASSWORD), "repository:" + repository + ":pull,push");
        Tokens.bearer(writerToken).post("/v2/" + repository + "/blobs/uploads/").then().statusCode(202);
        Registry.pushImage(repository, "v1");
        String readerToken = Tokens.fetch(Credentials.basic(reader, PASSWORD), "repository:" + repository + ":pull,push");
        Tokens.bearer(readerToken).get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        ociError(Tokens.bearer(readerToken).post("/v2/" + repository + "/blobs/uploads/").then(), 403, "DENIED");

        Accounts.as(founder, PASSWORD).delete("/api/v1/organization/" + org + "/members/" + reader).then().statusCode(204);
        ociError(Tokens.bearer(readerToken).get("/v2/" + repository + "/manifests/v1").then(), 403, "DENIED");
        apiError(Accounts.as(reader, PASSWORD).get("/api/v1/organization/" + org).then(), 404, "not_found");

        Accounts.as(founder, PASSWORD).body("{\"email\":\"new@example.com\"}").put("/api/v1/organization/" + org).then().statusCode(200)
                .body("email", equalTo("new@example.com"));
        apiError(Accounts.as(founder, PASSWORD).delete("/api/v1/organization/" + org).then(), 409, "conflict");
        String empty = unique("empty");
        Accounts.createOrganization(empty, founder, PASSWORD);
        Accounts.as(founder, PASSWORD).delete("/api/v1/organization/" + empty).then().statusCode(204);
        apiError(Accounts.as(founder, PASSWORD).get("/api/v1/organization/" + empty).then(), 404, "not_found");
    }

    @Test
    void repositoryPermissionsGrantAndWithdrawAccess() {
        String owner = unique("owner");
        String guest = unique("guest");
        Accounts.createUser(owner, PASSWORD);
        Accounts.createUser(guest, PASSWORD);
        String repository = owner + "/shared";
        Registry.pushImage(repository, "v1");
        String path = "/api/v1/repository/" + repository + "/permissions/user/";

        ociError(given().auth().none().header("Authorization", Credentials.basic(guest, PASSWORD))
                .get("/v2/" + repository + "/manifests/v1").then(), 403, "DENIED");
        Accounts.as(owner, PASSWORD).body("{\"role\":\"read\"}").put(path + guest).then().statusCode(200)
                .body("name", equalTo(guest)).body("role", equalTo("read")).body("is_robot", equalTo(false));
        given().auth().none().header("Authorization", Credentials.basic(guest, PASSWORD))
                .get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        Accounts.as(owner, PASSWORD).get(path).then().statusCode(200).body("permissions." + guest + ".role", equalTo("read"));
        Accounts.as(owner, PASSWORD).get(path + guest).then().statusCode(200).body("role", equalTo("read"));
        // Guests with read do not manage permissions; with admin they do.
        apiError(Accounts.as(guest, PASSWORD).get(path).then(), 403, "forbidden");
        Accounts.as(owner, PASSWORD).body("{\"role\":\"admin\"}").put(path + guest).then().statusCode(200);
        Accounts.as(guest, PASSWORD).get(path).then().statusCode(200);

        Accounts.as(owner, PASSWORD).delete(path + guest).then().statusCode(204);
        ociError(given().auth().none().header("Authorization", Credentials.basic(guest, PASSWORD))
                .get("/v2/" + repository + "/manifests/v1").then(), 403, "DENIED");
        apiError(Accounts.as(owner, PASSWORD).get(path + guest).then(), 404, "not_found");
        apiError(Accounts.as(owner, PASSWORD).delete(path + guest).then(), 404, "not_found");
        apiError(Accounts.as(owner, PASSWORD).body("{\"role\":\"read\"}").put(path + "nobody" + guest).then(), 404, "not_found");
        apiError(Accounts.as(owner, PASSWORD).body("{\"role\":\"read\"}").put(path + "someorg+robot").then(), 400, "invalid_request");
        apiError(Accounts.as(owner, PASSWORD).get("/api/v1/repository/" + owner + "/missing/permissions/user/").then(), 404, "not_found");
        apiError(Accounts.as(owner, PASSWORD).get("/api/v1/repository/Bad..Name/permissions/user/").then(), 400, "invalid_request");
        apiError(Accounts.as(owner, PASSWORD).body("{\"visibility\":\"internal\"}")
                .post("/api/v1/repository/" + repository + "/changevisibility").then(), 400, "invalid_request");
        // Without any right on it, the repository is answered as absent.
        apiError(Accounts.as(guest, PASSWORD).body("{\"visibility\":\"public\"}")
                .post("/api/v1/repository/" + repository + "/changevisibility").then(), 404, "not_found");
    }

    @Test
    void unknownApiPathsAnswerWithTheApiErrorBody() {
        apiError(Accounts.asAdmin().get("/api/v1/no/such/thing").then(), 404, "not_found");
        apiError(Accounts.asAdmin().delete("/api/v1/tokens").then(), 405, "method_not_allowed");
    }

    private static String[] sorted(String... names) {
        java.util.Arrays.sort(names);
        return names;
    }

    private static String unique(String prefix) {
        return prefix + Long.toHexString(System.nanoTime());
    }
}
