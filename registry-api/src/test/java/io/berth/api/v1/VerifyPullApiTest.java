package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.GeneratedInput;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Skopeo;
import io.berth.core.audit.UsageLog;
import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/verify-pull} with real credentials of each kind (password, robot token, access
 * token, none) against images pushed through /v2 (a multi-platform index by skopeo): each reason,
 * no leak about repositories the credentials may not see, bad bodies, the throttle, and the usage
 * log recording checks rather than pulls.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class VerifyPullApiTest {
    private static final String PASSWORD = "verify-password";
    private static final String NO_DIGEST = "sha256:" + "0".repeat(64);

    @Inject
    Pool pool;

    @Inject
    UsageLog usageLog;

    /** One organization with a multi-platform index, a single image and a public repository; another with a private one. */
    private record Fixture(String org, String owner, String other, String index, String amd64, String arm64, String single,
            String robotToken, String accessToken, String scopedToken) {
    }

    private static Fixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        if (fixture != null) {
            return;
        }
        String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        String owner = "vpowner" + suffix;
        String stranger = "vpstranger" + suffix;
        Accounts.createUser(owner, PASSWORD);
        Accounts.createUser(stranger, PASSWORD);
        String org = "vporg" + suffix;
        String other = "vpother" + suffix;
        Accounts.createOrganization(org, owner, PASSWORD);
        Accounts.createOrganization(other, stranger, PASSWORD);

        Path layout = Files.createTempDirectory("verify-pull");
        OciLayout images = new OciLayout(layout);
        String index = images.addIndex("multi", List.of("amd64", "arm64"), 2_000);
        String single = images.addImage("single", "amd64", 2, 1_000);
        Skopeo.copyAll(images.reference("multi"), org + "/app:multi");
        Skopeo.copyAll(images.reference("single"), org + "/app:single");
        // Digests from the layout, not from pulls: the usage log must hold no pull of these repositories.
        List<String> children = new JsonObject(Files.readString(layout.resolve("blobs/sha256/" + index.substring(7))))
                .getJsonArray("manifests").stream().map(child -> ((JsonObject) child).getString("digest")).toList();
        Registry.pushImage(org + "/other", "1.0");
        Registry.pushImage(org + "/pub", "1.0");
        Accounts.makePublic(org + "/pub");
        Registry.pushImage(other + "/secret", "1.0");

        String robotToken = Accounts.createRobot(org, "puller");
        Accounts.grant(org + "/app", org + "+puller", "read");
        String accessToken = Accounts.createAccessToken(owner, PASSWORD, "all", false, List.of()).getString("token");
        // A token of the owner's over the owner's own namespace only: the organization is outside it.
        String scopedToken = Accounts.createAccessToken(owner, PASSWORD, "own", false, List.of(owner)).getString("token");
        fixture = new Fixture(org, owner, other, index, children.get(0), children.get(1), single, robotToken, accessToken, scopedToken);
    }

    private static ValidatableResponse verify(String image, String username, String password, String platform) {
        JsonObject body = new JsonObject().put("image", image);
        if (username != null) {
            body.put("username", username);
        }
        if (password != null) {
            body.put("password", password);
        }
        if (platform != null) {
            body.put("platform", platform);
        }
        return given().auth().none().contentType("application/json").body(body.encode()).post("/api/v1/verify-pull").then()
                .statusCode(200);
    }

    private static ValidatableResponse refused(ValidatableResponse response, String reason) {
        return response.body("pullable", equalTo(false)).body("reason", equalTo(reason)).body("message", not(equalTo("")));
    }

    @Test
    void aUserWithPasswordGetsEachReason() {
        String app = fixture.org() + "/app";
        verify(app + ":multi", fixture.owner(), PASSWORD, "linux/arm64").body("pullable", equalTo(true))
                .body("reason", equalTo("pullable"))
                .body("digest", equalTo(fixture.index()))
                .body("platformDigest", equalTo(fixture.arm64()))
                .body("platforms.architecture", contains("amd64", "arm64"));
        verify(app + ":multi", fixture.owner(), PASSWORD, "linux/arm64/v8").body("platformDigest", equalTo(fixture.arm64()));
        verify(app + ":multi", fixture.owner(), PASSWORD, "Linux/x86_64").body("platformDigest", equalTo(fixture.amd64()));
        verify(app + ":multi", fixture.owner(), PASSWORD, null).body("pullable", equalTo(true)).body("digest", equalTo(fixture.index()))
                .body("", not(hasKey("platformDigest")));
        verify(app + "@" + fixture.index(), fixture.owner(), PASSWORD, "linux/amd64").body("pullable", equalTo(true));
        verify(app + ":single", fixture.owner(), PASSWORD, "linux/amd64").body("pullable", equalTo(true))
                .body("digest", equalTo(fixture.single()));
        refused(verify(app + ":multi", fixture.owner(), PASSWORD, "linux/s390x"), "platform_not_found")
                .body("digest", equalTo(fixture.index()))
                .body("platforms.architecture", contains("amd64", "arm64"))
                .body("message", containsString("linux/amd64, linux/arm64"));
        refused(verify(app + ":single", fixture.owner(), PASSWORD, "linux/arm64"), "platform_not_found")
                .body("message", containsString("linux/amd64"));
        refused(verify(app + ":nope", fixture.owner(), PASSWORD, null), "no_such_tag");
        refused(verify(app + "@" + NO_DIGEST, fixture.owner(), PASSWORD, null), "no_such_digest");
        refused(verify(fixture.org() + "/missing:1.0", fixture.owner(), PASSWORD, null), "no_such_repository");
        refused(verify(fixture.other() + "/secret:1.0", fixture.owner(), PASSWORD, null), "no_permission");
        refused(verify(app + ":multi", fixture.owner(), "wrong", null), "unknown_credentials").body("digest", nullValue());
        refused(verify(app + ":multi", "nobody-" + fixture.owner(), PASSWORD, null), "unknown_credentials");
        refused(verify(app + ":multi", fixture.owner(), null, null), "unknown_credentials");
    }

    @Test
    void aRobotWithItsTokenIsCheckedUnderBothSpellingsOfItsName() {
        String app = fixture.org() + "/app";
        String robot = fixture.org() + "+puller";
        verify(app + ":single", "robot$" + robot, fixture.robotToken(), "linux/amd64").body("pullable", equalTo(true))
                .body("digest", equalTo(fixture.single()));
        verify(app + ":multi", robot, fixture.robotToken(), "linux/arm64").body("pullable", equalTo(true))
                .body("platformDigest", equalTo(fixture.arm64()));
        refused(verify(app + ":multi", robot, fixture.robotToken(), "windows/amd64"), "platform_not_found");
        refused(verify(app + ":nope", robot, fixture.robotToken(), null), "no_such_tag");
        refused(verify(app + "@" + NO_DIGEST, robot, fixture.robotToken(), null), "no_such_digest");
        refused(verify(fixture.org() + "/other:1.0", robot, fixture.robotToken(), null), "no_permission");
        refused(verify(fixture.org() + "/missing:1.0", robot, fixture.robotToken(), null), "no_permission");
        refused(verify(app + ":multi", robot, fixture.robotToken() + "x", null), "unknown_credentials");
        refused(verify(app + ":multi", fixture.org() + "+nosuchrobot", fixture.robotToken(), null), "unknown_credentials");
    }

    @Test
    void anAccessTokenIsCheckedWithinItsScope() {
        String app = fixture.org() + "/app";
        verify(app + ":multi", fixture.owner(), fixture.accessToken(), "linux/amd64").body("pullable", equalTo(true))
                .body("platformDigest", equalTo(fixture.amd64()));
        // An access token is recognised by its form, whatever the username.
        verify(app + ":single", "anyone", fixture.accessToken(), null).body("pullable", equalTo(true));
        verify(app + ":single", null, fixture.accessToken(), null).body("pullable", equalTo(true));
        refused(verify(app + ":multi", fixture.owner(), fixture.accessToken(), "linux/riscv64"), "platform_not_found");
        refused(verify(app + ":nope", fixture.owner(), fixture.accessToken(), null), "no_such_tag");
        refused(verify(app + "@" + NO_DIGEST, fixture.owner(), fixture.accessToken(), null), "no_such_digest");
        refused(verify(fixture.org() + "/missing:1.0", fixture.owner(), fixture.accessToken(), null), "no_such_repository");
        refused(verify(app + ":multi", fixture.owner(), fixture.scopedToken(), null), "no_permission");
        refused(verify(fixture.other() + "/secret:1.0", fixture.owner(), fixture.accessToken(), null), "no_permission");
        refused(verify(app + ":multi", fixture.owner(), fixture.accessToken().substring(0, fixture.accessToken().length() - 2) + "zz",
                null), "unknown_credentials");
    }

    @Test
    void anonymousCallersCheckAnonymousPullsOfPublicRepositories() {
        String pub = fixture.org() + "/pub";
        verify(pub + ":1.0", null, null, null).body("pullable", equalTo(true)).body("reason", equalTo("pullable"));
        verify(pub + ":1.0", "", "", "linux/amd64").body("pullable", equalTo(true));
        refused(verify(pub + ":2.0", null, null, null), "no_such_tag");
        refused(verify(pub + "@" + NO_DIGEST, null, null, null), "no_such_digest");
        refused(verify(pub + ":1.0", null, null, "linux/arm64"), "platform_not_found");
        refused(verify(fixture.org() + "/app:multi", null, null, null), "no_permission").body("message", containsString("sign in"));
        refused(verify(fixture.org() + "/nothing:1.0", null, null, null), "no_permission");
    }

    @Test
    void aRepositoryTheCredentialsMayNotSeeAnswersAsAMissingOneDoes() {
        for (String[] credentials : new String[][] {{fixture.owner(), PASSWORD}, {fixture.owner(), fixture.accessToken()},
                {fixture.org() + "+puller", fixture.robotToken()}, {null, null}}) {
            Map<String, Object> hidden = verify(fixture.other() + "/secret:1.0", credentials[0], credentials[1], "linux/amd64")
                    .extract().jsonPath().getMap("");
            Map<String, Object> missing = verify(fixture.other() + "/nosuch:1.0", credentials[0], credentials[1], "linux/amd64")
                    .extract().jsonPath().getMap("");
            assertEquals(missing.keySet(), hidden.keySet());
            assertEquals("no_permission", hidden.get("reason"));
            assertEquals(missing.get("reason"), hidden.get("reason"));
            assertEquals(missing.get("message").toString().replace("/nosuch", "/secret"), hidden.get("message"));
            Map<String, Object> hiddenDigest = verify(fixture.other() + "/secret@" + NO_DIGEST, credentials[0], credentials[1], null)
                    .extract().jsonPath().getMap("");
            assertEquals("no_permission", hiddenDigest.get("reason"), "not no_such_digest: that would tell the repository exists");
        }
    }

    @Test
    void contentMissingFromTheRepositoryMakesAnImageUnpullable() throws Exception {
        String repository = fixture.org() + "/broken";
        byte[] config = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        byte[] layer = Content.random(2048);
        byte[] manifest = Registry.imageManifest(repository, config, layer);
        Registry.putManifest(repository, "1.0", Registry.OCI_MANIFEST, manifest);
        verify(repository + ":1.0", fixture.owner(), PASSWORD, null).body("pullable", equalTo(true));
        // No longer linked in the repository: a pull would be refused the blob.
        sql("DELETE FROM repository_blobs WHERE digest = $1 AND repository_id = (SELECT id FROM repositories WHERE name = $2)",
                Content.sha256(layer), repository);
        refused(verify(repository + ":1.0", fixture.owner(), PASSWORD, null), "missing_content")
                .body("digest", equalTo(Content.sha256(manifest)))
                .body("message", containsString("layer " + Content.sha256(layer)));
        // Garbage collection has marked the config for deletion: as good as gone (and named first, as a client fetches it first).
        sql("UPDATE blobs SET state = 'deleting' WHERE digest = $1", Content.sha256(config));
        refused(verify(repository + ":1.0", fixture.owner(), PASSWORD, "linux/amd64"), "missing_content")
                .body("message", containsString("config " + Content.sha256(config)));
    }

    @Test
    void checksAreLoggedAsChecksAndNeverCountAsPulls() throws Exception {
        String app = fixture.org() + "/app";
        verify(app + ":single", fixture.owner(), PASSWORD, "linux/amd64").body("pullable", equalTo(true));
        refused(verify(app + ":nope", fixture.org() + "+puller", fixture.robotToken(), null), "no_such_tag");
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, SECONDS);
        List<Map<String, Object>> logs = Accounts.as(fixture.owner(), PASSWORD).get("/api/v1/repository/" + app + "/logs").then()
                .statusCode(200).body("logs.kind", hasItem("verify_pull")).body("logs.kind", not(hasItem("pull_repo")))
                .extract().path("logs.findAll { it.kind == 'verify_pull' }");
        assertTrue(logs.stream().anyMatch(log -> ((Map<?, ?>) log.get("metadata")).get("reason").equals("pullable")
                && fixture.owner().equals(((Map<?, ?>) log.get("performer")).get("name"))), logs.toString());
        assertTrue(logs.stream().anyMatch(log -> ((Map<?, ?>) log.get("metadata")).get("reason").equals("no_such_tag")), logs.toString());
        Row counts = pool.preparedQuery("SELECT sum(t.pull_count), sum(m.pull_count) FROM tags t JOIN manifests m ON m.id = t.manifest_id"
                        + " JOIN repositories r ON r.id = t.repository_id WHERE r.name = $1")
                .execute(Tuple.of(app)).toCompletionStage().toCompletableFuture().get(10, SECONDS).iterator().next();
        assertEquals(0L, counts.getLong(0));
        assertEquals(0L, counts.getLong(1));
    }

    @Test
    void badBodiesAre400() {
        String[] bodies = {"{}", "{\"image\":\"\"}", "{\"image\":\"Upper/Case:1\"}", "{\"image\":\"acme/app:bad!tag\"}",
                "{\"image\":\"acme/app@sha256:short\"}", "{\"image\":\"acme/app@md5:" + "0".repeat(32) + "\"}",
                "{\"image\":\"acme/app:1\",\"platform\":\"linux\"}", "{\"image\":\"acme/app:1\",\"platform\":\"linux/arm/v7/x\"}",
                "{\"image\":\"acme/app:1\",\"platform\":\"linux//v7\"}", "{\"image\":\"acme/app:1\",\"username\":[]}",
                "[]", "not json", "{\"image\":\"" + "a".repeat(2000) + ":1\"}"};
        for (String body : bodies) {
            apiError(given().auth().none().contentType("application/json").body(body).post("/api/v1/verify-pull").then(), 400,
                    "invalid_request");
        }
        apiError(given().auth().none().contentType("application/json").post("/api/v1/verify-pull").then(), 400, "invalid_request");
        apiError(given().auth().none().contentType("text/plain").body("x").post("/api/v1/verify-pull").then(), 415,
                "unsupported_media_type");
    }

    /**
     * Generated bodies, valid and mutated, with a user of their own (whose wrong secrets get it
     * throttled): every answer is a verdict, a 400, or the throttle's 429, with the API error body.
     */
    @Test
    void generatedBodiesAreAnsweredSoundly() {
        String user = "vpgenerated" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        Accounts.createUser(user, PASSWORD);
        Gen<Map<String, Object>> valid = Gen.zip(
                Gen.of(fixture.org() + "/app:multi", fixture.org() + "/pub:1.0", fixture.org() + "/app@" + fixture.index(), "a/b:c"),
                Gen.zip(GeneratedInput.wordsOr(user, ""), GeneratedInput.wordsOr(PASSWORD, "wrong", ""),
                        (name, secret) -> new String[] {name, secret}),
                (image, credentials) -> GeneratedInput.object("image", image, "username", credentials[0], "password", credentials[1],
                        "platform", "linux/amd64"));
        Gen<byte[]> bodies = GeneratedInput.bodies(valid);
        GeneratedInputs.check(200, Duration.ofSeconds(90), bodies, body -> {
            ValidatableResponse response = given().auth().none().contentType("application/json").body(body).post("/api/v1/verify-pull")
                    .then();
            int status = response.extract().statusCode();
            assertTrue(Set.of(200, 400, 429).contains(status), "status " + status + ": " + response.extract().asString());
            if (status == 200) {
                response.body("reason", org.hamcrest.Matchers.notNullValue());
            } else {
                apiError(response, status, status == 400 ? "invalid_request" : "too_many_requests");
            }
        });
    }

    @Test
    void repeatedWrongSecretsForOneNameAreThrottled() {
        String user = "vpthrottled" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        Accounts.createUser(user, PASSWORD);
        String image = fixture.org() + "/pub:1.0";
        for (int i = 0; i < 10; i++) {
            refused(verify(image, user, "guess-" + i, null), "unknown_credentials");
        }
        apiError(given().auth().none().contentType("application/json")
                .body(new JsonObject().put("image", image).put("username", user).put("password", PASSWORD).encode())
                .post("/api/v1/verify-pull").then(), 429, "too_many_requests").header("Retry-After", equalTo("60"));
        // Other names and anonymous checks go on.
        verify(image, fixture.owner(), PASSWORD, null).body("pullable", equalTo(true));
        verify(image, null, null, null).body("pullable", equalTo(true));
    }

    private void sql(String statement, Object... parameters) throws Exception {
        pool.preparedQuery(statement).execute(Tuple.from(parameters)).toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }
}
