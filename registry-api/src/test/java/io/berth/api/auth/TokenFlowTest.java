package io.berth.api.auth;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Tokens;
import io.berth.core.audit.UsageLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Docker's token protocol as clients see it: challenges, the token endpoint, and what tokens let through. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class TokenFlowTest {
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @Inject
    SigningKeys keys;

    @Inject
    UsageLog usageLog;

    @Test
    void callersWithoutCredentialsAreChallengedToFetchAToken() {
        String realm = "Bearer realm=\"http://localhost:" + RestAssured.port + "/v2/token\",service=\"berth\"";
        ociError(given().auth().none().get("/v2/").then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", equalTo(realm));
        ociError(given().auth().none().get("/v2/some/repo/manifests/latest").then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", equalTo(realm + ",scope=\"repository:some/repo:pull\""));
        ociError(given().auth().none().post("/v2/some/repo/blobs/uploads/").then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", equalTo(realm + ",scope=\"repository:some/repo:pull,push\""));
        ociError(given().auth().none().delete("/v2/some/repo/manifests/sha256:" + "a".repeat(64)).then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", equalTo(realm + ",scope=\"repository:some/repo:delete\""));
    }

    @Test
    void aUserSignsInPushesAndPullsWithATokenOfTheirOwnNamespace() {
        String user = uniqueName("alice");
        Accounts.createUser(user, "alice-password");
        String repository = user + "/app";
        var response = given().auth().none().header("Authorization", Credentials.basic(user, "alice-password"))
                .queryParam("service", "berth").queryParam("scope", "repository:" + repository + ":pull,push")
                .get("/v2/token").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token", notNullValue())
                .body("expires_in", equalTo(300))
                .body("issued_at", notNullValue())
                .extract();
        String token = response.path("token");
        assertEquals(token, response.path("access_token"));
        JsonObject claims = claims(token);
        assertEquals(user, claims.getString("sub"));
        assertEquals("berth", claims.getString("aud"));
        assertEquals(new JsonArray().add(new JsonObject().put("type", "repository").put("name", repository)
                .put("actions", new JsonArray().add("pull").add("push"))), claims.getJsonArray("access"));

        byte[] layer = Content.random(512);
        String digest = Content.sha256(layer);
        Tokens.bearer(token).contentType(ContentType.BINARY).body(layer).queryParam("digest", digest)
                .post("/v2/" + repository + "/blobs/uploads/").then().statusCode(201);
        byte[] config = Content.utf8("{}");
        Tokens.bearer(token).contentType(ContentType.BINARY).body(config).queryParam("digest", Content.sha256(config))
                .post("/v2/" + repository + "/blobs/uploads/").then().statusCode(201);
        byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", MANIFEST)
                .put("config", Registry.descriptor(Registry.OCI_CONFIG, config))
                .put("layers", new JsonArray().add(Registry.descriptor(Registry.OCI_LAYER, layer))).encode().getBytes(StandardCharsets.UTF_8);
        Tokens.bearer(token).contentType(MANIFEST).body(manifest).put("/v2/" + repository + "/manifests/v1").then().statusCode(201);
        Tokens.bearer(token).get("/v2/" + repository + "/blobs/" + digest).then().statusCode(200);
        Tokens.bearer(token).get("/v2/" + repository + "/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", Content.sha256(manifest));
        // The token says pull and push; deleting needs a token that says delete.
        ociError(Tokens.bearer(token).delete("/v2/" + repository + "/manifests/" + Content.sha256(manifest)).then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""));
    }

    @Test
    void theOAuthFormThatContainerdPostsIsAccepted() {
        String user = uniqueName("carol");
        Accounts.createUser(user, "carol-password");
        String token = given().auth().none().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("username", user).formParam("password", "carol-password")
                .formParam("service", "berth").formParam("scope", "repository:" + user + "/app:pull")
                .formParam("client_id", "containerd-client")
                .post("/v2/token").then().statusCode(200).extract().path("access_token");
        assertEquals("pull", claims(token).getJsonArray("access").getJsonObject(0).getJsonArray("actions").getString(0));
        ociError(given().auth().none().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", "x").post("/v2/token").then(), 400, "UNSUPPORTED");
    }

    @Test
    void wrongCredentialsAreRefusedByTheTokenEndpoint() throws Exception {
        ociError(given().auth().none().header("Authorization", Credentials.basic(Credentials.ADMIN, "wrong"))
                .get("/v2/token?service=berth").then(), 401, "UNAUTHORIZED");
        ociError(given().auth().none().header("Authorization", Credentials.basic("nobody-at-all", "whatever"))
                .get("/v2/token?service=berth").then(), 401, "UNAUTHORIZED");
        ociError(given().auth().none().header("Authorization", "Basic !!!not-base64").get("/v2/token").then(), 401, "UNAUTHORIZED");
        ociError(given().auth().none().get("/v2/token?service=another").then(), 400, "DENIED");
        // A name no account can have (PostgreSQL text cannot even hold it) is just another wrong name.
        for (String name : new String[] {"admin\u0000", "\u0000", "robot$a\u0000+b"}) {
            ociError(given().auth().none().header("Authorization", Credentials.basic(name, "whatever"))
                    .get("/v2/token?service=berth").then(), 401, "UNAUTHORIZED");
            ociError(given().auth().none().header("Authorization", Credentials.basic(name, "whatever"))
                    .get("/v2/").then(), 401, "UNAUTHORIZED");
        }
        // The failed sign-ins are logged with those names, and what is logged after them is still written.
        String repository = uniqueName("logged") + "/app";
        Registry.pushImage(repository, "v1");
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Accounts.asAdmin().get("/api/v1/repository/" + repository + "/logs").then().statusCode(200)
                .body("logs.kind", hasItem("push_repo"));
    }

    @Test
    void aTokenGrantsOnlyWhatItsHolderMayDo() {
        String owner = uniqueName("dave");
        String stranger = uniqueName("erin");
        Accounts.createUser(owner, "dave-password");
        Accounts.createUser(stranger, "erin-password");
        String repository = owner + "/private";
        Registry.pushImage(repository, "v1");

        String token = Tokens.fetch(Credentials.basic(stranger, "erin-password"), "repository:" + repository + ":pull,push");
        assertEquals(new JsonArray(), claims(token).getJsonArray("access"));
        ociError(Tokens.bearer(token).get("/v2/" + repository + "/manifests/v1").then(), 403, "DENIED");
        // Basic credentials straight on /v2 are judged the same way.
        ociError(given().auth().none().header("Authorization", Credentials.basic(stranger, "erin-password"))
                .get("/v2/" + repository + "/manifests/v1").then(), 403, "DENIED");
        ociError(given().auth().none().header("Authorization", Credentials.basic(stranger, "wrong-password"))
                .get("/v2/" + repository + "/manifests/v1").then(), 401, "UNAUTHORIZED");
    }

    @Test
    void administratorsLearnARepositoryIsMissingAndOthersCannotTellMissingFromPrivate() {
        String owner = uniqueName("frank");
        String stranger = uniqueName("gina");
        Accounts.createUser(owner, "frank-password");
        Accounts.createUser(stranger, "gina-password");
        String missing = owner + "/never-pushed";
        String hidden = owner + "/private";
        Registry.pushImage(hidden, "v1");
        String digest = Content.sha256(Content.utf8("absent"));

        String adminToken = Tokens.fetch(Credentials.adminBasic(), "repository:" + missing + ":pull");
        for (RequestSpecification admin : List.of(given(), Tokens.bearer(adminToken))) {
            ociError(admin.get("/v2/" + missing + "/manifests/v1").then(), 404, "NAME_UNKNOWN");
            ociError(admin.get("/v2/" + missing + "/tags/list").then(), 404, "NAME_UNKNOWN");
            admin.head("/v2/" + missing + "/blobs/" + digest).then().statusCode(404);
        }

        String strangerToken = Tokens.fetch(Credentials.basic(stranger, "gina-password"),
                "repository:" + missing + ":pull", "repository:" + hidden + ":pull");
        String anonymousToken = Tokens.fetch(null, "repository:" + missing + ":pull", "repository:" + hidden + ":pull");
        List<Supplier<RequestSpecification>> others = List.of(() -> given().auth().none(), () -> Tokens.bearer(anonymousToken),
                () -> given().auth().none().header("Authorization", Credentials.basic(stranger, "gina-password")),
                () -> Tokens.bearer(strangerToken));
        for (Supplier<RequestSpecification> caller : others) {
            for (String path : new String[] {"/manifests/v1", "/tags/list", "/blobs/" + digest}) {
                Response missingAnswer = caller.get().get("/v2/" + missing + path);
                Response hiddenAnswer = caller.get().get("/v2/" + hidden + path);
                assertTrue(missingAnswer.statusCode() == 401 || missingAnswer.statusCode() == 403, missingAnswer::asString);
                assertEquals(hiddenAnswer.statusCode(), missingAnswer.statusCode(), path);
                assertEquals(hiddenAnswer.jsonPath().getString("errors[0].code"), missingAnswer.jsonPath().getString("errors[0].code"));
                assertEquals(hiddenAnswer.header("WWW-Authenticate") == null, missingAnswer.header("WWW-Authenticate") == null);
            }
        }
        // Without credentials the answer is the challenge to sign in.
        ociError(given().auth().none().get("/v2/" + missing + "/manifests/v1").then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", containsString("repository:" + missing + ":pull"));
    }

    @Test
    void anonymousCallersCannotPush() {
        String repository = uniqueName("open") + "/app";
        Registry.pushImage(repository, "v1");
        Accounts.makePublic(repository);
        String anonymous = Tokens.fetch(null, "repository:" + repository + ":pull,push");
        assertEquals(new JsonArray().add(new JsonObject().put("type", "repository").put("name", repository)
                .put("actions", new JsonArray().add("pull"))), claims(anonymous).getJsonArray("access"));
        ociError(Tokens.bearer(anonymous).post("/v2/" + repository + "/blobs/uploads/").then(), 401, "UNAUTHORIZED");
        ociError(Tokens.bearer(anonymous).contentType(MANIFEST).body("{}").put("/v2/" + repository + "/manifests/v2").then(),
                401, "UNAUTHORIZED");
    }

    @Test
    void publicRepositoriesPullAnonymouslyAndPrivateOnesStayHidden() {
        String namespace = uniqueName("visible");
        String open = namespace + "/public";
        String closed = namespace + "/private";
        byte[] manifest = Registry.pushImage(open, "v1");
        Registry.pushImage(closed, "v1");
        Accounts.makePublic(open);

        String anonymous = Tokens.fetch(null, "repository:" + open + ":pull", "repository:" + closed + ":pull", "registry:catalog:*");
        Tokens.bearer(anonymous).get("/v2/" + open + "/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", Content.sha256(manifest));
        ociError(Tokens.bearer(anonymous).get("/v2/" + closed + "/manifests/v1").then(), 401, "UNAUTHORIZED");
        Tokens.bearer(anonymous).get("/v2/_catalog?n=10000").then().statusCode(200)
                .body("repositories", hasItem(open))
                .body("repositories", not(hasItem(closed)));
        given().get("/v2/_catalog?n=10000").then().statusCode(200)
                .body("repositories", hasItem(open))
                .body("repositories", hasItem(closed));
    }

    @Test
    void forgedTokensAreRefused() throws Exception {
        String repository = uniqueName("forged") + "/app";
        Registry.pushImage(repository, "v1");
        String path = "/v2/" + repository + "/manifests/v1";
        String genuine = Tokens.fetch(Credentials.adminBasic(), "repository:" + repository + ":pull");
        Tokens.bearer(genuine).get(path).then().statusCode(200);

        String[] parts = genuine.split("\\.");
        JsonObject claims = claims(genuine);
        String tampered = parts[0] + "." + encode(claims.copy().put("sub", "someone-else").encode()) + "." + parts[2];
        String unsigned = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        var otherKey = KeyPairGenerator.getInstance("RSA");
        otherKey.initialize(2048);
        String otherSigner = Jwt.claims(json(claims)).jws().keyId(keys.current().keyId()).algorithm(SignatureAlgorithm.RS256)
                .sign(otherKey.generateKeyPair().getPrivate());
        String otherService = sign(claims.copy().put("aud", "another-registry"));
        String expired = sign(claims.copy().put("iat", Instant.now().minusSeconds(900).getEpochSecond())
                .put("nbf", Instant.now().minusSeconds(900).getEpochSecond()).put("exp", Instant.now().minusSeconds(600).getEpochSecond()));
        String otherIssuer = sign(claims.copy().put("iss", "someone"));
        for (String forged : new String[] {tampered, unsigned, otherSigner, otherService, expired, otherIssuer, "not-a-jwt"}) {
            ociError(Tokens.bearer(forged).get(path).then(), 401, "UNAUTHORIZED")
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        }
        // Our key with our claims is accepted: the refusals above are about what was forged.
        Tokens.bearer(sign(claims.copy())).get(path).then().statusCode(200);
    }

    @Test
    void tokensOfARegeneratedRobotStopWorkingAtOnce() {
        String org = uniqueName("acme");
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/app";
        Registry.pushImage(repository, "v1");
        String robotToken = Accounts.createRobot(org, "ci");
        Accounts.grant(repository, org + "+ci", "read");
        String jwt = Tokens.fetch(Credentials.basic("robot$" + org + "+ci", robotToken), "repository:" + repository + ":pull");
        Tokens.bearer(jwt).get("/v2/" + repository + "/manifests/v1").then().statusCode(200);

        Accounts.asAdmin().post("/api/v1/organization/" + org + "/robots/ci/regenerate").then().statusCode(200);
        ociError(Tokens.bearer(jwt).get("/v2/" + repository + "/manifests/v1").then(), 401, "UNAUTHORIZED");
        ociError(given().auth().none().header("Authorization", Credentials.basic(org + "+ci", robotToken))
                .get("/v2/token?service=berth").then(), 401, "UNAUTHORIZED");
    }

    @Test
    void theVersionCheckAnswersAnySignedInCallerIncludingAnonymousTokens() {
        Tokens.bearer(Tokens.fetch(null)).get("/v2/").then().statusCode(200);
        given().auth().none().header("Authorization", Credentials.adminBasic()).get("/v2/").then().statusCode(200);
        given().auth().none().header("Authorization", "Bearer").get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm="));
    }

    private String sign(JsonObject claims) {
        return Jwt.claims(json(claims)).jws().keyId(keys.current().keyId()).algorithm(SignatureAlgorithm.RS256)
                .sign(keys.current().privateKey());
    }

    private static jakarta.json.JsonObject json(JsonObject claims) {
        return jakarta.json.Json.createReader(new java.io.StringReader(claims.encode())).readObject();
    }

    static JsonObject claims(String jwt) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String uniqueName(String prefix) {
        return prefix + Long.toHexString(System.nanoTime());
    }
}
