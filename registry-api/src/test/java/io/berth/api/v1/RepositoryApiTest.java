package io.berth.api.v1;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Repositories through the management API: create, list, get, describe, change state, delete. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class RepositoryApiTest {
    private static final String PASSWORD = "repository-password";

    @Test
    void aRepositoryIsCreatedDescribedListedAndDeleted() {
        String user = user();
        Accounts.as(user, PASSWORD).body(create(user, "tool", "private", "build tool")).post("/api/v1/repository").then().statusCode(201)
                .body("namespace", equalTo(user))
                .body("name", equalTo("tool"))
                .body("full_name", equalTo(user + "/tool"))
                .body("visibility", equalTo("private"))
                .body("is_public", equalTo(false))
                .body("state", equalTo("NORMAL"))
                .body("kind", equalTo("image"))
                .body("description", equalTo("build tool"))
                .body("created", notNullValue());
        apiError(Accounts.as(user, PASSWORD).body(create(user, "tool", "private", null)).post("/api/v1/repository").then(), 409, "conflict");
        apiError(Accounts.as(user, PASSWORD).body(create(user, "Bad Name", null, null)).post("/api/v1/repository").then(),
                400, "invalid_request");
        apiError(Accounts.as(user, PASSWORD).body(create(user, "other", "internal", null)).post("/api/v1/repository").then(),
                400, "invalid_request");
        apiError(Accounts.as(user, PASSWORD).body(create(user(), "theirs", null, null)).post("/api/v1/repository").then(),
                403, "forbidden");

        Registry.pushImage(user + "/tool", "v1");
        Accounts.as(user, PASSWORD).body("{\"description\":\"the build tool\"}").put("/api/v1/repository/" + user + "/tool").then()
                .statusCode(200).body("description", equalTo("the build tool"));
        Accounts.as(user, PASSWORD).queryParam("includeTags", true).get("/api/v1/repository/" + user + "/tool").then().statusCode(200)
                .body("tags.v1.manifest_digest", notNullValue())
                .body("size", greaterThan(1024));
        Accounts.as(user, PASSWORD).get("/api/v1/repository/" + user + "/tool").then().body("$", not(hasKey("tags")));

        // Another user sees nothing of a private repository.
        String stranger = user();
        apiError(Accounts.as(stranger, PASSWORD).get("/api/v1/repository/" + user + "/tool").then(), 404, "not_found");
        Accounts.as(stranger, PASSWORD).queryParam("namespace", user).get("/api/v1/repository").then().statusCode(200)
                .body("totalCount", equalTo(0));
        apiError(Accounts.as(stranger, PASSWORD).delete("/api/v1/repository/" + user + "/tool").then(), 404, "not_found");

        Accounts.as(user, PASSWORD).delete("/api/v1/repository/" + user + "/tool").then().statusCode(204);
        apiError(Accounts.as(user, PASSWORD).get("/api/v1/repository/" + user + "/tool").then(), 404, "not_found");
        ociError(Tokens.bearer(Tokens.fetch(Credentials.basic(user, PASSWORD), "repository:" + user + "/tool:pull"))
                .get("/v2/" + user + "/tool/manifests/v1").then(), 404, "NAME_UNKNOWN");
    }

    @Test
    void listingsFilterSearchSortAndPage() {
        String user = user();
        for (String name : new String[] {"beta", "alpha", "gamma", "delta"}) {
            Accounts.as(user, PASSWORD).body(create(user, name, "private", null)).post("/api/v1/repository").then().statusCode(201);
        }
        String other = user();
        Accounts.as(other, PASSWORD).body(create(other, "shared", "public", null)).post("/api/v1/repository").then().statusCode(201);

        Accounts.as(user, PASSWORD).queryParam("namespace", user).get("/api/v1/repository").then().statusCode(200)
                .body("totalCount", equalTo(4))
                .body("repositories.name", contains("alpha", "beta", "delta", "gamma"));
        Accounts.as(user, PASSWORD).queryParam("namespace", user).queryParam("sort_field", "name").queryParam("sort_type", "desc")
                .queryParam("limit", 2).queryParam("offset", 1).get("/api/v1/repository").then()
                .body("totalCount", equalTo(4))
                .body("repositories.name", contains("delta", "beta"));
        // The Container Registry API's counts: all in scope, and those the search matches.
        Accounts.as(user, PASSWORD).queryParam("namespace", user).queryParam("search", "LT").get("/api/v1/repository").then()
                .body("repositories.name", contains("delta"))
                .body("totalCount", equalTo(4))
                .body("filteredCount", equalTo(1));
        Accounts.as(user, PASSWORD).queryParam("namespace", user).queryParam("limit", 1).get("/api/v1/repository").then()
                .body("totalCount", equalTo(4)).body("filteredCount", equalTo(4));
        Accounts.as(user, PASSWORD).queryParam("namespace", user).queryParam("short", true).get("/api/v1/repository").then()
                .body("repositories[0]", not(hasKey("visibility")))
                .body("repositories[0].full_name", equalTo(user + "/alpha"));
        // Public repositories of others appear unless public=false.
        Accounts.as(user, PASSWORD).queryParam("limit", 1000).get("/api/v1/repository").then()
                .body("repositories.full_name", hasItem(other + "/shared"));
        Accounts.as(user, PASSWORD).queryParam("public", false).queryParam("limit", 1000).get("/api/v1/repository").then()
                .body("repositories.full_name", not(hasItem(other + "/shared")))
                .body("repositories.full_name", hasItem(user + "/alpha"));
        for (String[] bad : new String[][] {{"limit", "0"}, {"offset", "-3"}, {"sort_field", "colour"}, {"sort_type", "sideways"}}) {
            apiError(Accounts.as(user, PASSWORD).queryParam(bad[0], bad[1]).get("/api/v1/repository").then(), 400, "invalid_request");
        }
    }

    @Test
    void aReadOnlyRepositoryRefusesPushesAndDeletesUntilItIsNormalAgain() {
        String user = user();
        String repository = user + "/frozen";
        byte[] manifest = Registry.pushImage(repository, "v1");
        Accounts.as(user, PASSWORD).body("{\"state\":\"READ_ONLY\"}").put("/api/v1/repository/" + repository + "/changestate")
                .then().statusCode(200).body("state", equalTo("READ_ONLY"));
        String token = Tokens.fetch(Credentials.basic(user, PASSWORD), "repository:" + repository + ":pull,push,delete");
        Tokens.bearer(token).get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        // The protocol's refusals say why, as the management API's do.
        ociError(Tokens.bearer(token).post("/v2/" + repository + "/blobs/uploads/").then(), 403, "DENIED")
                .body("errors[0].detail", containsString("read-only"));
        ociError(Tokens.bearer(token).delete("/v2/" + repository + "/manifests/" + Content.sha256(manifest)).then(), 403, "DENIED")
                .body("errors[0].detail", containsString("read-only"));
        // Administrators too: read-only is for everyone.
        ociError(Accounts.asAdmin().contentType("application/octet-stream").post("/v2/" + repository + "/blobs/uploads/").then(),
                403, "DENIED").body("errors[0].detail", containsString("read-only"));
        apiError(Accounts.as(user, PASSWORD).delete("/api/v1/repository/" + repository + "/tag/v1").then(), 403, "forbidden");
        apiError(Accounts.as(user, PASSWORD).body("{\"state\":\"FROZEN\"}").put("/api/v1/repository/" + repository + "/changestate")
                .then(), 400, "invalid_request");

        Accounts.as(user, PASSWORD).body("{\"state\":\"NORMAL\"}").put("/api/v1/repository/" + repository + "/changestate")
                .then().statusCode(200).body("state", equalTo("NORMAL"));
        String fresh = Tokens.fetch(Credentials.basic(user, PASSWORD), "repository:" + repository + ":pull,push");
        Tokens.bearer(fresh).post("/v2/" + repository + "/blobs/uploads/").then().statusCode(202);
    }

    @Test
    void aReadOnlyRepositoryRefusesEveryChangeToItsContentAndItsDeletionSayingWhy() {
        String user = user();
        String repository = user + "/archive";
        String digest = Content.sha256(Registry.pushImage(repository, "v1"));
        Registry.pushImage(repository, "v2");
        String base = "/api/v1/repository/" + repository;
        String label = Accounts.as(user, PASSWORD).body("{\"key\":\"team\",\"value\":\"infra\"}").post(base + "/manifest/" + digest + "/labels")
                .then().statusCode(201).extract().path("id");
        Accounts.as(user, PASSWORD).body("{\"state\":\"READ_ONLY\"}").put(base + "/changestate").then().statusCode(200);

        String digestBody = "{\"manifest_digest\":\"" + digest + "\"}";
        for (var refused : new io.restassured.response.ValidatableResponse[] {
                Accounts.as(user, PASSWORD).delete(base).then(),
                Accounts.asAdmin().delete(base).then(),
                Accounts.as(user, PASSWORD).body(digestBody).put(base + "/tag/v2").then(),
                Accounts.as(user, PASSWORD).body(digestBody).post(base + "/tag/v1/restore").then(),
                Accounts.as(user, PASSWORD).delete(base + "/tag/v1").then(),
                Accounts.as(user, PASSWORD).delete(base + "/manifest/" + digest).then(),
                Accounts.as(user, PASSWORD).body("{\"key\":\"owner\",\"value\":\"me\"}").post(base + "/manifest/" + digest + "/labels").then(),
                Accounts.as(user, PASSWORD).delete(base + "/manifest/" + digest + "/labels/" + label).then(),
                Accounts.as(user, PASSWORD).body("{\"tags\":[\"v1\"]}").post(base + "/cleanup").then()}) {
            apiError(refused, 403, "forbidden").body("detail", equalTo("repository " + repository
                    + " is read-only: nothing in it changes until its state is NORMAL again"));
        }
        Accounts.as(user, PASSWORD).body("{\"tags\":[\"v1\",\"v2\"]}").post(base + "/tag/bulk-delete").then().statusCode(207)
                .body("results.status", contains(403, 403))
                .body("results[0].detail", containsString("is read-only"));
        // Nothing went, and the repository is still administered: described, made public, made writable again.
        Accounts.as(user, PASSWORD).queryParam("includeTags", true).get(base).then().statusCode(200)
                .body("tags", hasKey("v1")).body("tags", hasKey("v2"));
        Accounts.as(user, PASSWORD).get(base + "/manifest/" + digest + "/labels").then().body("labels.key", contains("team"));
        Accounts.as(user, PASSWORD).body("{\"description\":\"kept as it was\"}").put(base).then().statusCode(200);
        Accounts.as(user, PASSWORD).body("{\"visibility\":\"public\"}").post(base + "/changevisibility").then().statusCode(200);
        Accounts.as(user, PASSWORD).body("{\"state\":\"NORMAL\"}").put(base + "/changestate").then().statusCode(200);
        Accounts.as(user, PASSWORD).delete(base).then().statusCode(204);
    }

    @Test
    void theKindComesFromTheConfigMediaType() {
        String user = user();
        String repository = user + "/chart";
        byte[] config = Content.utf8("{\"name\":\"chart\",\"version\":\"1.0.0\"}");
        byte[] layer = Content.random(300);
        Registry.pushBlob(repository, config);
        Registry.pushBlob(repository, layer);
        byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", Registry.OCI_MANIFEST)
                .put("config", Registry.descriptor("application/vnd.cncf.helm.config.v1+json", config))
                .put("layers", new JsonArray().add(Registry.descriptor("application/vnd.cncf.helm.chart.content.v1.tar+gzip", layer)))
                .encode().getBytes(StandardCharsets.UTF_8);
        Registry.putManifest(repository, "1.0.0", Registry.OCI_MANIFEST, manifest);
        Accounts.as(user, PASSWORD).get("/api/v1/repository/" + repository).then().statusCode(200)
                .body("kind", equalTo("helm_chart"))
                .body("size", equalTo(config.length + layer.length + manifest.length));
    }

    private static String user() {
        String user = "repo" + Long.toHexString(System.nanoTime());
        Accounts.createUser(user, PASSWORD);
        return user;
    }

    private static String create(String namespace, String repository, String visibility, String description) {
        JsonObject body = new JsonObject().put("namespace", namespace).put("repository", repository);
        if (visibility != null) {
            body.put("visibility", visibility);
        }
        if (description != null) {
            body.put("description", description);
        }
        return body.encode();
    }
}
