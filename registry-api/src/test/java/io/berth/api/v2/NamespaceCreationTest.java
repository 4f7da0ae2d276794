package io.berth.api.v2;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code berth.namespaces.create-on-push} at its default, a push never creates a namespace: an
 * administrator's push to one that does not exist is {@code NAME_UNKNOWN} and leaves nothing behind,
 * as does creating a repository there through the API; organizations and users' own namespaces take
 * pushes as before.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(NamespaceCreationTest.Default.class)
class NamespaceCreationTest {

    /** The setting as a registry has it when nothing configures it (the other tests let pushes create namespaces). */
    public static class Default implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.berth.namespaces.create-on-push", "false");
        }
    }

    @Test
    void anAdministratorsPushToAMissingNamespaceIsNameUnknownAndCreatesNothing() {
        String namespace = "missing" + Long.toHexString(System.nanoTime());
        String repository = namespace + "/app";
        byte[] blob = Content.random(100);
        String digest = Content.sha256(blob);

        ociError(given().post("/v2/" + repository + "/blobs/uploads/").then(), 404, "NAME_UNKNOWN")
                .body("errors[0].detail", containsString("namespace " + namespace + " does not exist"));
        ociError(given().contentType(ContentType.BINARY).body(blob).queryParam("digest", digest)
                .post("/v2/" + repository + "/blobs/uploads/").then(), 404, "NAME_UNKNOWN");
        String organization = organization();
        Registry.pushBlob(organization + "/source", blob);
        ociError(given().queryParam("mount", digest).queryParam("from", organization + "/source")
                .post("/v2/" + repository + "/blobs/uploads/").then(), 404, "NAME_UNKNOWN");
        byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", Registry.OCI_MANIFEST)
                .put("config", Registry.descriptor(Registry.OCI_CONFIG, blob)).put("layers", new io.vertx.core.json.JsonArray())
                .encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ociError(given().contentType(Registry.OCI_MANIFEST).body(manifest).put("/v2/" + repository + "/manifests/v1").then(),
                404, "NAME_UNKNOWN");
        apiError(Accounts.asAdmin().body(new JsonObject().put("namespace", namespace).put("repository", "app").encode())
                .post("/api/v1/repository").then(), 404, "not_found")
                .body("detail", containsString("namespace " + namespace + " does not exist"));

        apiError(Accounts.asAdmin().get("/api/v1/organization/" + namespace).then(), 404, "not_found");
        Accounts.asAdmin().queryParam("limit", 1000).get("/api/v1/organization/").then().statusCode(200)
                .body("organizations.name", not(hasItem(namespace)));
        Accounts.asAdmin().queryParam("namespace", namespace).get("/api/v1/repository").then().body("totalCount", equalTo(0));
    }

    @Test
    void organizationsAndUsersOwnNamespacesTakePushesAsBefore() {
        String organization = organization();
        Registry.pushImage(organization + "/app", "v1");
        Accounts.asAdmin().body(new JsonObject().put("namespace", organization).put("repository", "created").encode())
                .post("/api/v1/repository").then().statusCode(201);

        String user = "owner" + Long.toHexString(System.nanoTime());
        Accounts.createUser(user, "owner-password");
        String token = Tokens.fetch(Credentials.basic(user, "owner-password"), "repository:" + user + "/own:pull,push");
        Tokens.bearer(token).post("/v2/" + user + "/own/blobs/uploads/").then().statusCode(202);
        Registry.pushImage(user + "/pushed-by-admin", "v1");
        Registry.pushImage(Credentials.ADMIN + "/app", "v1");
    }

    private static String organization() {
        String name = "org" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(name, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        return name;
    }
}
