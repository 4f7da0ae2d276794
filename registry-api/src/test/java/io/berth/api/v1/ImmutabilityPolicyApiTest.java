package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.ImmutabilityRules;
import io.berth.api.testing.Registry;
import io.berth.core.immutability.ImmutabilityPolicyService;
import io.berth.core.immutability.ImmutabilityService;
import io.berth.core.tag.TagService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Immutability rules through the management API: their life cycle, what is refused as input and to
 * whom, the reach of an organization's rule and of a repository's, the tags they protect shown and
 * kept through every management operation that would move or remove them, and every node's cache
 * following a change of rules.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ImmutabilityPolicyApiTest {
    private static final String PASSWORD = "immutable-password";

    @Inject
    ImmutabilityService immutability;

    @Inject
    TagService tagService;

    @Inject
    Pool pool;

    @Test
    void organizationRulesAreCreatedListedReadUpdatedAndDeleted() {
        String org = organization();
        String path = "/api/v1/organization/" + org + "/immutabilitypolicy/";
        String uuid = Accounts.asAdmin().body("{\"tagPattern\":\"^v[0-9.]+$\"}").post(path).then().statusCode(201)
                .body("tagPattern", equalTo("^v[0-9.]+$")).body("tagPatternMatches", equalTo(true))
                .body("namespace", equalTo(org)).body("repository", nullValue())
                .body("createdBy", equalTo(Credentials.ADMIN)).body("createdAt", notNullValue())
                .extract().path("uuid");
        assertEquals(uuid, UUID.fromString(uuid).toString());

        given().get(path).then().statusCode(200).body("policies.uuid", contains(uuid)).body("policies.tagPattern", contains("^v[0-9.]+$"));
        given().get(path + uuid).then().statusCode(200).body("uuid", equalTo(uuid));
        Accounts.asAdmin().body("{\"tagPattern\":\"release-.*\",\"tagPatternMatches\":false}").put(path + uuid).then().statusCode(200)
                .body("uuid", equalTo(uuid)).body("tagPattern", equalTo("release-.*")).body("tagPatternMatches", equalTo(false));
        // An update that leaves tagPatternMatches out keeps it.
        Accounts.asAdmin().body("{\"tagPattern\":\"rc-.*\"}").put(path + uuid).then().statusCode(200)
                .body("tagPatternMatches", equalTo(false));

        given().delete(path + uuid).then().statusCode(204);
        apiError(given().get(path + uuid).then(), 404, "not_found");
        apiError(given().delete(path + uuid).then(), 404, "not_found");
        given().get(path).then().statusCode(200).body("policies", empty());
    }

    @Test
    void repositoryRulesAreManagedTheSameWay() {
        String repository = Content.uniqueRepository("immutable");
        Registry.pushImage(repository, "seed");
        String path = "/api/v1/repository/" + repository + "/immutabilitypolicy/";
        String uuid = Accounts.asAdmin().body("{\"tagPattern\":\"stable\"}").post(path).then().statusCode(201)
                .body("repository", equalTo(repository)).body("namespace", equalTo(repository.substring(0, repository.indexOf('/'))))
                .extract().path("uuid");
        given().get(path).then().statusCode(200).body("policies.uuid", contains(uuid));
        Accounts.asAdmin().body("{\"tagPattern\":\"stable|lts\"}").put(path + uuid).then().statusCode(200)
                .body("tagPattern", equalTo("stable|lts"));
        given().get(path + uuid).then().statusCode(200).body("tagPattern", equalTo("stable|lts"));
        given().delete(path + uuid).then().statusCode(204);
        given().get(path).then().statusCode(200).body("policies", empty());
        apiError(given().get("/api/v1/repository/" + repository + "x/immutabilitypolicy/").then(), 404, "not_found");
        apiError(given().get("/api/v1/organization/nosuchorg" + System.nanoTime() + "/immutabilitypolicy/").then(), 404, "not_found");
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        String org = organization();
        String path = "/api/v1/organization/" + org + "/immutabilitypolicy/";
        for (String pattern : new String[] {"(", "[a-", "a{2,1}", "*", "", "x".repeat(257)}) {
            apiError(Accounts.asAdmin().body(new JsonObject().put("tagPattern", pattern).encode()).post(path).then(), 400, "invalid_request")
                    .body("detail", containsString("tagPattern"));
        }
        apiError(Accounts.asAdmin().body("{}").post(path).then(), 400, "invalid_request").body("detail", containsString("tagPattern"));
        apiError(Accounts.asAdmin().body("{\"tagPattern\":null}").post(path).then(), 400, "invalid_request");
        apiError(Accounts.asAdmin().body("{\"tagPattern\":{\"a\":1}}").post(path).then(), 400, "invalid_request");
        apiError(Accounts.asAdmin().body("{\"tagPattern\":\"v.*\",\"tagPatternMatches\":\"perhaps\"}").post(path).then(), 400,
                "invalid_request");
        apiError(Accounts.asAdmin().body("{\"tagPattern\":").post(path).then(), 400, "invalid_request");
        apiError(Accounts.asAdmin().post(path).then(), 400, "invalid_request");
        apiError(given().get(path + "not-a-uuid").then(), 404, "not_found");
        apiError(given().get(path + UUID.randomUUID()).then(), 404, "not_found");
        apiError(Accounts.asAdmin().body("{\"tagPattern\":\"v.*\"}").put(path + UUID.randomUUID()).then(), 404, "not_found");
        given().get(path).then().body("policies", empty());

        // The same rule twice is one rule too many; at most 50 in a namespace, its repositories' included.
        ImmutabilityRules.forOrganization(org, "same");
        apiError(Accounts.asAdmin().body("{\"tagPattern\":\"same\"}").post(path).then(), 409, "conflict");
        for (int i = 1; i < ImmutabilityPolicyService.MAX_RULES_PER_NAMESPACE; i++) {
            ImmutabilityRules.forOrganization(org, "rule-" + i);
        }
        apiError(Accounts.asAdmin().body("{\"tagPattern\":\"one-more\"}").post(path).then(), 409, "conflict")
                .body("detail", containsString("at most 50"));
        Registry.pushImage(org + "/app", "seed");
        apiError(Accounts.asAdmin().body("{\"tagPattern\":\"one-more\"}").post("/api/v1/repository/" + org + "/app/immutabilitypolicy/")
                .then(), 409, "conflict");
    }

    @Test
    void membersListTheRulesAdministratorsManageThem() {
        String org = organization();
        String repository = org + "/app";
        Registry.pushImage(repository, "seed");
        String reader = "reader" + Long.toHexString(System.nanoTime());
        String outsider = reader + "x";
        Accounts.createUser(reader, PASSWORD);
        Accounts.createUser(outsider, PASSWORD);
        Accounts.setMember(org, reader, "read");
        String uuid = ImmutabilityRules.forOrganization(org, "v.*");
        String orgPath = "/api/v1/organization/" + org + "/immutabilitypolicy/";
        String repoPath = "/api/v1/repository/" + repository + "/immutabilitypolicy/";

        Accounts.as(reader, PASSWORD).get(orgPath).then().statusCode(200).body("policies.uuid", contains(uuid));
        Accounts.as(reader, PASSWORD).get(orgPath + uuid).then().statusCode(200);
        Accounts.as(reader, PASSWORD).get(repoPath).then().statusCode(200).body("policies", empty());
        apiError(Accounts.as(reader, PASSWORD).body("{\"tagPattern\":\"x\"}").post(orgPath).then(), 403, "forbidden");
        apiError(Accounts.as(reader, PASSWORD).delete(orgPath + uuid).then(), 403, "forbidden");
        apiError(Accounts.as(reader, PASSWORD).body("{\"tagPattern\":\"x\"}").post(repoPath).then(), 403, "forbidden");
        // Someone who cannot see the organization or the repository is told neither exists.
        apiError(Accounts.as(outsider, PASSWORD).get(orgPath).then(), 404, "not_found");
        apiError(Accounts.as(outsider, PASSWORD).get(repoPath).then(), 404, "not_found");
        apiError(Accounts.as(outsider, PASSWORD).body("{\"tagPattern\":\"x\"}").post(repoPath).then(), 404, "not_found");
        apiError(given().auth().none().get(orgPath).then(), 401, "unauthorized");
        // An organization admin manages them.
        Accounts.setMember(org, reader, "admin");
        Accounts.as(reader, PASSWORD).body("{\"tagPattern\":\"x\"}").post(repoPath).then().statusCode(201);
        Accounts.as(reader, PASSWORD).delete(orgPath + uuid).then().statusCode(204);
    }

    @Test
    void anOrganizationRuleCoversEveryRepositoryARepositoryRuleOnlyItsOwn() throws Exception {
        String org = organization();
        String first = org + "/first";
        String second = org + "/second";
        for (String repository : List.of(first, second)) {
            byte[] manifest = Registry.pushImage(repository, "stable");
            Registry.putManifest(repository, "v1", Registry.OCI_MANIFEST, manifest);
            Registry.putManifest(repository, "edge", Registry.OCI_MANIFEST, manifest);
        }
        ImmutabilityRules.forOrganization(org, "stable");
        ImmutabilityRules.forRepository(first, "v[0-9]+");

        for (String repository : List.of(first, second)) {
            given().queryParam("onlyActiveTags", true).get("/api/v1/repository/" + repository + "/tag/").then().statusCode(200)
                    .body("tags.name", contains("edge", "stable", "v1"))
                    .body("tags.immutable", contains(false, true, repository.equals(first)));
        }
        given().queryParam("includeTags", true).get("/api/v1/repository/" + first).then().statusCode(200)
                .body("tags.stable.immutable", equalTo(true)).body("tags.edge.immutable", equalTo(false));
        long firstId = repositoryId(first);
        assertEquals(Set.of("stable", "v1", "v2"), immutability.protectedTags(firstId, List.of("stable", "v1", "edge", "v2", "v10-rc"))
                .toCompletionStage().toCompletableFuture().get(10, SECONDS));
        assertEquals(Set.of("stable"), immutability.protectedTags(repositoryId(second), List.of("stable", "v1", "edge"))
                .toCompletionStage().toCompletableFuture().get(10, SECONDS));
    }

    @Test
    void managementChangesThatWouldMoveOrRemoveAnImmutableTagAreRefused() {
        String repository = Content.uniqueRepository("immutable");
        String path = "/api/v1/repository/" + repository;
        byte[] old = Registry.pushImage(repository, "v1.0");
        byte[] current = Registry.pushImage(repository, "scratch");
        // v1.0 moves once before the rule exists: it has a history to restore.
        tag(path, "v1.0", current).then().statusCode(200);
        Registry.putManifest(repository, "extra", Registry.OCI_MANIFEST, current);
        ImmutabilityRules.forRepository(repository, "v[0-9.]+");
        String refusal = "tag v1.0 in " + repository + " is immutable (rule v[0-9.]+)";

        apiError(tag(path, "v1.0", old).then(), 409, "conflict").body("detail", equalTo(refusal + ": it cannot be moved to another manifest"));
        apiError(Accounts.asAdmin().body("{\"manifest_digest\":\"" + Content.sha256(old) + "\"}").post(path + "/tag/v1.0/restore").then(),
                409, "conflict");
        apiError(Accounts.asAdmin().body("{\"expiration\":\"2100-01-01T00:00:00Z\"}").put(path + "/tag/v1.0").then(), 409, "conflict")
                .body("detail", equalTo(refusal + ": it cannot be given an expiry"));
        apiError(given().delete(path + "/tag/v1.0").then(), 409, "conflict").body("detail", equalTo(refusal + ": it cannot be deleted"));
        apiError(given().delete(path + "/manifest/" + Content.sha256(current)).then(), 409, "conflict");
        apiError(given().delete(path).then(), 409, "conflict").body("detail", containsString("the repository cannot be deleted"));
        // Pointing it where it points already is no move; it shows as immutable.
        tag(path, "v1.0", current).then().statusCode(200).body("immutable", equalTo(true)).body("manifest_digest",
                equalTo(Content.sha256(current)));

        // Bulk delete: that tag refused, the others deleted.
        Registry.putManifest(repository, "pr-1", Registry.OCI_MANIFEST, old);
        Accounts.asAdmin().body("{\"tags\":[\"pr-1\",\"v1.0\",\"missing\"]}").post(path + "/tag/bulk-delete").then().statusCode(207)
                .body("results.tag", contains("pr-1", "v1.0", "missing"))
                .body("results.status", contains(200, 409, 404))
                .body("results.result", contains("deleted", "immutable", "not_found"))
                .body("results[1].detail", equalTo(refusal + ": it cannot be deleted"));

        // Cleanup: the image an immutable tag names is reported failed, the rest goes.
        Accounts.asAdmin().body("{\"tags\":[\"v1.0\"],\"digests\":[\"" + Content.sha256(old) + "\"],\"disable_gc\":true}")
                .post(path + "/cleanup").then().statusCode(200)
                .body("deleted.digest", contains(Content.sha256(old)))
                .body("failed.digest", contains(Content.sha256(current)))
                .body("failed[0].tags", hasItem("v1.0"))
                .body("failed[0].error", equalTo(refusal + ": it cannot be deleted"));

        given().get("/v2/" + repository + "/manifests/v1.0").then().statusCode(200).header("Docker-Content-Digest", Content.sha256(current));
        given().get("/v2/" + repository + "/tags/list").then().body("tags", contains("extra", "scratch", "v1.0"));
    }

    @Test
    void aRuleTakesThePendingExpiryOffTheTagsItProtectsAndExpiryNeverDeletesThem() throws Exception {
        String repository = Content.uniqueRepository("immutable");
        String path = "/api/v1/repository/" + repository + "/tag/";
        byte[] manifest = Registry.pushImage(repository, "rc-1");
        Registry.putManifest(repository, "nightly", Registry.OCI_MANIFEST, manifest);
        for (String tag : List.of("rc-1", "nightly")) {
            Accounts.asAdmin().body("{\"expiration\":\"2100-01-01T00:00:00Z\"}").put(path + tag).then().statusCode(200);
        }
        ImmutabilityRules.forRepository(repository, "rc-.*");
        given().queryParam("onlyActiveTags", true).get(path).then()
                .body("tags.name", contains("nightly", "rc-1"))
                .body("tags[0].expiration", notNullValue())
                .body("tags[1].expiration", nullValue());

        // A tag whose expiry passed while a rule came to protect it (a race the two checks above leave
        // narrow) is kept by the expiry job, which takes its expiry off instead.
        pool.preparedQuery("UPDATE tags SET expires_at = now() - interval '1 second' WHERE name = 'rc-1'"
                + " AND repository_id = (SELECT id FROM repositories WHERE name = $1)").execute(Tuple.of(repository))
                .toCompletionStage().toCompletableFuture().get(10, SECONDS);
        while (tagService.pruneExpired(500).toCompletionStage().toCompletableFuture().get(10, SECONDS) > 0) {
            // prunes every expired tag, this test's among them
        }
        given().queryParam("onlyActiveTags", true).get(path).then().body("tags.name", contains("nightly", "rc-1"))
                .body("tags[1].expiration", nullValue()).body("tags[1].immutable", equalTo(true));
        given().get("/v2/" + repository + "/manifests/rc-1").then().statusCode(200);
    }

    @Test
    void aChangeOfRulesIsEnforcedAtOnceAndOneAnnouncedByAnotherNodeWithinMoments() throws Exception {
        String repository = Content.uniqueRepository("immutable");
        byte[] first = Registry.pushImage(repository, "v1");
        byte[] second = Registry.imageManifest(repository, Content.utf8("{\"second\":" + System.nanoTime() + "}"), Content.random(256));
        // Pushes load (and cache) the repository's rules: none yet.
        Registry.putManifest(repository, "v1", Registry.OCI_MANIFEST, first);

        String uuid = ImmutabilityRules.forRepository(repository, "v1");
        given().contentType(Registry.OCI_MANIFEST).body(second).put("/v2/" + repository + "/manifests/v1").then().statusCode(403);
        given().delete("/api/v1/repository/" + repository + "/immutabilitypolicy/" + uuid).then().statusCode(204);
        Registry.putManifest(repository, "v1", Registry.OCI_MANIFEST, second);

        // Another node writes a rule and announces it on the invalidation channel, as it does in its
        // own transaction: this node's cached "no rules" gives way.
        long repositoryId = repositoryId(repository);
        pool.withTransaction(c -> c.preparedQuery("INSERT INTO immutability_rules (id, namespace_id, repository_id, tag_pattern)"
                        + " SELECT $1, namespace_id, id, 'v1' FROM repositories WHERE id = $2").execute(Tuple.of(UUID.randomUUID(), repositoryId))
                        .compose(inserted -> c.query("SELECT pg_notify('berth_cache_invalidation', 'IMMUTABILITY' || chr(10) || chr(10))")
                                .execute()))
                .toCompletionStage().toCompletableFuture().get(10, SECONDS);
        // Until the announcement arrives, pushes may still move v1: each moves it the other way.
        byte[] current = second;
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        int status;
        do {
            byte[] other = current == first ? second : first;
            status = given().contentType(Registry.OCI_MANIFEST).body(other).put("/v2/" + repository + "/manifests/v1").then()
                    .extract().statusCode();
            if (status == 201) {
                current = other;
                Thread.sleep(50);
            }
        } while (status == 201 && System.nanoTime() < deadline);
        assertEquals(403, status, "the announced rule is enforced within 5 s");
    }

    private static io.restassured.response.Response tag(String repositoryPath, String tag, byte[] manifest) {
        return Accounts.asAdmin().body("{\"manifest_digest\":\"" + Content.sha256(manifest) + "\"}").put(repositoryPath + "/tag/" + tag);
    }

    private long repositoryId(String repository) throws Exception {
        return pool.preparedQuery("SELECT id FROM repositories WHERE name = $1").execute(Tuple.of(repository))
                .toCompletionStage().toCompletableFuture().get(10, SECONDS).iterator().next().getLong(0);
    }

    private static String organization() {
        String org = "immutable" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        return org;
    }
}
