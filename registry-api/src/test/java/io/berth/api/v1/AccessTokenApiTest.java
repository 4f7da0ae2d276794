package io.berth.api.v1;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Access tokens through their API: create (also as Docker config), list, get, update, refresh, regenerate, revoke. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class AccessTokenApiTest {
    private static final String PASSWORD = "token-owner-password";

    @Test
    void aTokenLivesThroughEveryOperation() {
        String user = owner();
        String repository = user + "/app";
        Instant expiresAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        JsonObject body = new JsonObject().put("name", "ci")
                .put("expiration", new JsonObject().put("isSet", true).put("expiresAt", expiresAt.toString()))
                .put("scope", new JsonObject().put("allRegistries", false).put("modeRW", true).put("registryIds", new JsonArray().add(user)));
        var created = Accounts.as(user, PASSWORD).body(body.encode()).post("/api/v1/tokens").then().statusCode(201)
                .body("name", equalTo("ci"))
                .body("status", equalTo("active"))
                .body("createdAt", notNullValue())
                .body("lastUsedAt", nullValue())
                .body("expiration.isSet", equalTo(true))
                .body("expiration.expiresAt", equalTo(expiresAt.toString()))
                .body("scope.allRegistries", equalTo(false))
                .body("scope.modeRW", equalTo(true))
                .body("scope.registryIds", contains(user))
                .body("token", startsWith("berth_at_"))
                .extract();
        String id = created.path("id");
        String secret = created.path("token");

        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("$", not(hasKey("token")));

        // A read-write token pushes, and its use is recorded.
        String jwt = Tokens.fetch(Credentials.basic(user, secret), "repository:" + repository + ":pull,push");
        Tokens.bearer(jwt).post("/v2/" + repository + "/blobs/uploads/").then().statusCode(202);
        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + id).then().body("lastUsedAt", notNullValue());

        Accounts.as(user, PASSWORD).body("{\"name\":\"ci-renamed\",\"scope\":{\"allRegistries\":true,\"modeRW\":false}}")
                .patch("/api/v1/tokens/" + id).then().statusCode(200)
                .body("name", equalTo("ci-renamed"))
                .body("scope.allRegistries", equalTo(true))
                .body("scope.modeRW", equalTo(false))
                .body("expiration.expiresAt", equalTo(expiresAt.toString()));

        Instant later = expiresAt.plus(30, ChronoUnit.DAYS);
        Accounts.as(user, PASSWORD).body(expiration(later)).post("/api/v1/tokens/" + id + "/refresh").then().statusCode(200)
                .body("expiration.expiresAt", equalTo(later.toString()))
                .body("$", not(hasKey("token")));

        String regenerated = Accounts.as(user, PASSWORD).body(expiration(later)).post("/api/v1/tokens/" + id + "/regenerate")
                .then().statusCode(200).body("id", equalTo(id)).body("name", equalTo("ci-renamed")).extract().path("token");
        assertNotEquals(secret, regenerated);
        ociError(given().auth().none().header("Authorization", Credentials.basic(user, secret)).get("/v2/token").then(),
                401, "UNAUTHORIZED");
        String fresh = Tokens.fetch(Credentials.basic(user, regenerated), "repository:" + repository + ":pull");

        Accounts.as(user, PASSWORD).delete("/api/v1/tokens/" + id).then().statusCode(204);
        // Revoked: the secret and registry tokens already issued from it stop working at once.
        ociError(given().auth().none().header("Authorization", Credentials.basic(user, regenerated)).get("/v2/token").then(),
                401, "UNAUTHORIZED");
        ociError(Tokens.bearer(fresh).get("/v2/" + repository + "/tags/list").then(), 401, "UNAUTHORIZED");
        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + id).then().statusCode(200).body("status", equalTo("revoked"));
        apiError(Accounts.as(user, PASSWORD).body(expiration(later)).post("/api/v1/tokens/" + id + "/refresh").then(), 409, "conflict");
    }

    @Test
    void aTokenIsHandedOutAsADockerConfigOnRequest() {
        String user = owner();
        String config = Accounts.as(user, PASSWORD).queryParam("docker-config", true).body(request("docker", true, List.of()))
                .post("/api/v1/tokens").then().statusCode(201).extract().asString();
        JsonObject auths = new JsonObject(config).getJsonObject("auths");
        String host = "localhost:" + RestAssured.port;
        assertEquals(List.of(host), List.copyOf(auths.fieldNames()));
        String[] credentials = new String(Base64.getDecoder().decode(auths.getJsonObject(host).getString("auth")), StandardCharsets.UTF_8)
                .split(":", 2);
        assertEquals(user, credentials[0]);
        Tokens.fetch(Credentials.basic(credentials[0], credentials[1]), "repository:" + user + "/app:pull,push");
        // It names the token, so that it can be managed; regenerating it answers the same way.
        String id = new JsonObject(config).getString("id");
        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + id).then().statusCode(200).body("name", equalTo("docker"));
        String regenerated = Accounts.as(user, PASSWORD).queryParam("docker-config", true).body("{\"expiration\":{\"isSet\":false}}")
                .post("/api/v1/tokens/" + id + "/regenerate").then().statusCode(200).extract().asString();
        assertEquals(id, new JsonObject(regenerated).getString("id"));
        String secret = new String(Base64.getDecoder().decode(new JsonObject(regenerated).getJsonObject("auths").getJsonObject(host)
                .getString("auth")), StandardCharsets.UTF_8).split(":", 2)[1];
        assertNotEquals(credentials[1], secret);
        Tokens.fetch(Credentials.basic(user, secret), "repository:" + user + "/app:pull");
        // A token created for a ttl too.
        String issued = given().auth().preemptive().basic(user, PASSWORD).queryParam("ttl", "12h").queryParam("docker-config", true)
                .post("/api/v1/tokens").then().statusCode(201).extract().asString();
        assertEquals(List.of(host), List.copyOf(new JsonObject(issued).getJsonObject("auths").fieldNames()));
        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + new JsonObject(issued).getString("id")).then().statusCode(200);
    }

    @Test
    void ttlTokensAreCreatedWithoutABodyAndRefreshedAndRevokedByTheirValue() {
        String user = owner();
        long before = Instant.now().getEpochSecond();
        // As the Container Registry API's clients send it: no body, no Content-Type.
        var created = given().auth().preemptive().basic(user, PASSWORD).post("/api/v1/tokens").then().statusCode(201)
                .body("token", startsWith("berth_at_"))
                .body("expireIn", allOf(greaterThan(43_100), lessThanOrEqualTo(43_200)))
                .extract();
        String value = created.path("token");
        long expireAt = ((Number) created.path("expireAt")).longValue();
        assertTrue(expireAt >= before + 43_200 && expireAt <= Instant.now().getEpochSecond() + 43_200, "expireAt " + expireAt);
        String id = created.path("id");
        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + id).then().statusCode(200)
                .body("expiration.isSet", equalTo(true)).body("scope.allRegistries", equalTo(true)).body("scope.modeRW", equalTo(true));
        // It signs in as its owner, with the owner's rights.
        String jwt = Tokens.fetch(Credentials.basic(user, value), "repository:" + user + "/app:pull,push");
        Tokens.bearer(jwt).post("/v2/" + user + "/app/blobs/uploads/").then().statusCode(202);

        given().auth().preemptive().basic(user, PASSWORD).queryParam("ttl", "1y").post("/api/v1/tokens").then().statusCode(201)
                .body("expireIn", allOf(greaterThan(31_535_000), lessThanOrEqualTo(31_536_000)));
        // Clients that do send a JSON Content-Type with the empty body get the same.
        Accounts.as(user, PASSWORD).queryParam("ttl", "12h").post("/api/v1/tokens").then().statusCode(201).body("expireIn", greaterThan(0));
        apiError(given().auth().preemptive().basic(user, PASSWORD).queryParam("ttl", "2d").post("/api/v1/tokens").then(), 400,
                "invalid_request").body("detail", equalTo("ttl must be 12h or 1y"));
        apiError(Accounts.as(user, PASSWORD).queryParam("ttl", "12h").body(request("both", true, List.of())).post("/api/v1/tokens")
                .then(), 400, "invalid_request");
        apiError(given().auth().preemptive().basic(user, PASSWORD).contentType("text/plain").body("ttl=12h").post("/api/v1/tokens")
                .then(), 415, "unsupported_media_type");

        // Refreshed by its value, for another ttl: the same token, a later expiry.
        given().auth().preemptive().basic(user, PASSWORD).queryParam("ttl", "1y").post("/api/v1/tokens/" + value + "/refresh").then()
                .statusCode(200)
                .body("token", equalTo(value))
                .body("id", equalTo(id))
                .body("expireIn", greaterThan(31_535_000));
        apiError(given().auth().preemptive().basic(user, PASSWORD).post("/api/v1/tokens/" + id + "/refresh").then(), 400,
                "invalid_request");
        String neverExpires = Accounts.createAccessToken(user, PASSWORD, "forever", true, List.of()).getString("token");
        apiError(given().auth().preemptive().basic(user, PASSWORD).post("/api/v1/tokens/" + neverExpires + "/refresh").then(), 409,
                "conflict");

        // Values that are no token of the caller's.
        apiError(given().auth().preemptive().basic(user, PASSWORD).delete("/api/v1/tokens/berth_at_not-a-token").then(), 400,
                "invalid_request").body("detail", equalTo("Invalid or malformed token."));
        String forged = value.substring(0, value.lastIndexOf('_') + 1) + "x".repeat(43);
        apiError(given().auth().preemptive().basic(user, PASSWORD).delete("/api/v1/tokens/" + forged).then(), 404, "not_found");
        String theirs = Accounts.createAccessToken(owner(), PASSWORD, "theirs", true, List.of()).getString("token");
        apiError(given().auth().preemptive().basic(user, PASSWORD).delete("/api/v1/tokens/" + theirs).then(), 404, "not_found");

        // Revoked by its value: it stops working at once.
        given().auth().preemptive().basic(user, PASSWORD).delete("/api/v1/tokens/" + value).then().statusCode(204);
        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + id).then().body("status", equalTo("revoked"));
        ociError(given().auth().none().header("Authorization", Credentials.basic(user, value)).get("/v2/token").then(),
                401, "UNAUTHORIZED");
        apiError(given().auth().preemptive().basic(user, PASSWORD).post("/api/v1/tokens/" + value + "/refresh").then(), 409,
                "conflict");
    }

    @Test
    void tokensAreListedWithPagingSortingSearchAndScopeFilter() {
        String user = owner();
        for (String name : new String[] {"delta", "alpha", "charlie", "bravo", "echo"}) {
            Accounts.as(user, PASSWORD).body(request(name, name.compareTo("c") < 0, List.of())).post("/api/v1/tokens").then().statusCode(201);
        }
        Accounts.as(user, PASSWORD).get("/api/v1/tokens").then().statusCode(200)
                .body("totalCount", equalTo(5))
                .body("tokens.name", contains("delta", "alpha", "charlie", "bravo", "echo"))
                .body("tokens[0]", not(hasKey("token")));
        Accounts.as(user, PASSWORD).queryParam("sort_field", "name").queryParam("limit", 2).queryParam("offset", 1)
                .get("/api/v1/tokens").then().statusCode(200)
                .body("totalCount", equalTo(5))
                .body("tokens.name", contains("bravo", "charlie"));
        Accounts.as(user, PASSWORD).queryParam("sort_field", "name").queryParam("sort_type", "desc")
                .get("/api/v1/tokens").then().body("tokens.name", contains("echo", "delta", "charlie", "bravo", "alpha"));
        Accounts.as(user, PASSWORD).queryParam("search", "LT").get("/api/v1/tokens").then()
                .body("totalCount", equalTo(1)).body("tokens.name", contains("delta"));
        Accounts.as(user, PASSWORD).queryParam("search", "%").get("/api/v1/tokens").then().body("totalCount", equalTo(0));
        Accounts.as(user, PASSWORD).queryParam("scope_mode", "rw").queryParam("sort_field", "name").get("/api/v1/tokens").then()
                .body("tokens.name", contains("alpha", "bravo"));
        Accounts.as(user, PASSWORD).queryParam("scope_mode", "ro").queryParam("sort_field", "name").get("/api/v1/tokens").then()
                .body("tokens.name", contains("charlie", "delta", "echo"));
        Accounts.as(user, PASSWORD).queryParam("offset", 10).get("/api/v1/tokens").then()
                .body("totalCount", equalTo(5)).body("tokens", empty());
        // Another user sees none of them.
        Accounts.as(owner(), PASSWORD).get("/api/v1/tokens").then().body("totalCount", equalTo(0));

        for (String[] bad : new String[][] {{"limit", "0"}, {"limit", "1001"}, {"offset", "-1"}, {"sort_field", "size"},
                {"sort_type", "up"}, {"scope_mode", "admin"}, {"limit", "ten"}}) {
            apiError(Accounts.as(user, PASSWORD).queryParam(bad[0], bad[1]).get("/api/v1/tokens").then(), 400, "invalid_request");
        }
    }

    @Test
    void tokensNeverReachBeyondTheirScope() {
        String user = owner();
        String orgA = "orga" + Long.toHexString(System.nanoTime());
        String orgB = "orgb" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(orgA, user, PASSWORD);
        Accounts.createOrganization(orgB, user, PASSWORD);
        Registry.pushImage(orgA + "/app", "v1");
        Registry.pushImage(orgB + "/app", "v1");

        String readOnly = Accounts.createAccessToken(user, PASSWORD, "ro", false, List.of()).getString("token");
        String jwt = Tokens.fetch(Credentials.basic(user, readOnly), "repository:" + orgA + "/app:pull,push");
        Tokens.bearer(jwt).get("/v2/" + orgA + "/app/manifests/v1").then().statusCode(200);
        ociError(Tokens.bearer(jwt).post("/v2/" + orgA + "/app/blobs/uploads/").then(), 403, "DENIED");
        ociError(given().auth().none().header("Authorization", Credentials.basic(user, readOnly))
                .post("/v2/" + orgA + "/app/blobs/uploads/").then(), 403, "DENIED");

        String onlyA = Accounts.createAccessToken(user, PASSWORD, "only-a", true, List.of(orgA)).getString("token");
        String scoped = Tokens.fetch(Credentials.basic(user, onlyA), "repository:" + orgA + "/app:pull", "repository:" + orgB + "/app:pull");
        Tokens.bearer(scoped).get("/v2/" + orgA + "/app/manifests/v1").then().statusCode(200);
        ociError(Tokens.bearer(scoped).get("/v2/" + orgB + "/app/manifests/v1").then(), 403, "DENIED");
        Tokens.bearer(Tokens.fetch(Credentials.basic(user, onlyA), "registry:catalog:*")).get("/v2/_catalog").then().statusCode(200)
                .body("repositories", hasItem(orgA + "/app"))
                .body("repositories", not(hasItem(orgB + "/app")));

        // A token cannot mint more tokens, and neither can robots.
        apiError(given().auth().none().header("Authorization", "Bearer " + onlyA).contentType("application/json")
                .body(request("more", true, List.of())).post("/api/v1/tokens").then(), 403, "forbidden");
        // But it does sign in to the management API as its owner.
        given().auth().none().header("Authorization", "Bearer " + onlyA).get("/api/v1/user/").then().statusCode(200)
                .body("username", equalTo(user));
    }

    @Test
    void anExpiredTokenIsRefused() throws InterruptedException {
        String user = owner();
        // Long enough for the token to be used once on a busy machine, short enough to wait out.
        Instant soon = Instant.now().plusSeconds(5);
        String body = new JsonObject().put("name", "short")
                .put("expiration", new JsonObject().put("isSet", true).put("expiresAt", soon.toString()))
                .put("scope", new JsonObject().put("allRegistries", true).put("modeRW", false)).encode();
        var created = Accounts.as(user, PASSWORD).body(body).post("/api/v1/tokens").then().statusCode(201).extract();
        String secret = created.path("token");
        Tokens.fetch(Credentials.basic(user, secret), "repository:" + user + "/app:pull");
        Thread.sleep(java.time.Duration.between(Instant.now(), soon).toMillis() + 300);
        ociError(given().auth().none().header("Authorization", Credentials.basic(user, secret)).get("/v2/token").then(),
                401, "UNAUTHORIZED");
        Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + created.path("id")).then().body("status", equalTo("expired"));
    }

    @Test
    void invalidRequestsAnswerWithTheApiErrorBody() {
        String user = owner();
        String past = Instant.now().minusSeconds(60).toString();
        String[] bodies = {
            "{}",
            "{\"name\":\"x\",\"scope\":{\"allRegistries\":true,\"modeRW\":true}}",
            "{\"name\":\"x\",\"expiration\":{\"isSet\":true,\"expiresAt\":\"" + past + "\"},\"scope\":{\"allRegistries\":true,\"modeRW\":true}}",
            "{\"name\":\"x\",\"expiration\":{\"isSet\":true},\"scope\":{\"allRegistries\":true,\"modeRW\":true}}",
            "{\"name\":\"x\",\"expiration\":{\"isSet\":false}}",
            "{\"name\":\"x\",\"expiration\":{\"isSet\":false},\"scope\":{\"allRegistries\":false,\"modeRW\":true,\"registryIds\":[]}}",
            "{\"name\":\"x\",\"expiration\":{\"isSet\":false},\"scope\":{\"allRegistries\":false,\"modeRW\":true,\"registryIds\":[\"no-such-org\"]}}",
            "{\"name\":\"x\",\"expiration\":{\"isSet\":false,\"expiresAt\":\"yesterday\"},\"scope\":{\"allRegistries\":true}}",
            "[1,2]",
            "not json",
        };
        for (String body : bodies) {
            apiError(Accounts.as(user, PASSWORD).body(body).post("/api/v1/tokens").then(), 400, "invalid_request");
        }
        apiError(Accounts.as(user, PASSWORD).get("/api/v1/tokens/not-a-uuid").then(), 404, "not_found");
        apiError(Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + java.util.UUID.randomUUID()).then(), 404, "not_found")
                .body("detail", equalTo("Token not found."));
        String someoneElses = Accounts.createAccessToken(owner(), PASSWORD, "theirs", true, List.of()).getString("id");
        apiError(Accounts.as(user, PASSWORD).get("/api/v1/tokens/" + someoneElses).then(), 404, "not_found");
        apiError(Accounts.as(user, PASSWORD).delete("/api/v1/tokens/" + someoneElses).then(), 404, "not_found");
        apiError(given().auth().none().get("/api/v1/tokens").then(), 401, "unauthorized");
        apiError(given().auth().preemptive().basic(user, "wrong-password").get("/api/v1/tokens").then(), 401, "unauthorized");
    }

    private static String owner() {
        String user = "tok" + Long.toHexString(System.nanoTime());
        Accounts.createUser(user, PASSWORD);
        return user;
    }

    private static String expiration(Instant expiresAt) {
        return new JsonObject().put("expiration", new JsonObject().put("isSet", true).put("expiresAt", expiresAt.toString())).encode();
    }

    private static String request(String name, boolean readWrite, List<String> namespaces) {
        return new JsonObject().put("name", name).put("expiration", new JsonObject().put("isSet", false))
                .put("scope", new JsonObject().put("allRegistries", namespaces.isEmpty()).put("modeRW", readWrite)
                        .put("registryIds", new JsonArray(namespaces))).encode();
    }
}
