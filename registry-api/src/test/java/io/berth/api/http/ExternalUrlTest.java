package io.berth.api.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code berth.external-url} names this registry for clients whatever the request or a proxy says:
 * the token realm, upload and manifest locations (absolute), and Docker configurations.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(ExternalUrlTest.BehindAProxy.class)
class ExternalUrlTest {
    private static final String EXTERNAL = "https://registry.example.com:8443";

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.external-url", EXTERNAL + "/");
        }
    }

    @Test
    void theRealmIsTheExternalUrl() {
        given().auth().none().header("X-Forwarded-Host", "other.example").get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"" + EXTERNAL + "/v2/token\""));
    }

    @Test
    void uploadAndManifestLocationsAreAbsolute() {
        String repository = Content.uniqueRepository("ext");
        String location = given().post("/v2/" + repository + "/blobs/uploads/").then().statusCode(202)
                .header("Location", matchesPattern(EXTERNAL + "/v2/" + repository + "/blobs/uploads/[0-9a-f-]{36}"))
                .extract().header("Location");
        byte[] blob = Content.random(64);
        String digest = Content.sha256(blob);
        // The client follows the location to this registry (the proxy's work in a real deployment).
        given().contentType(ContentType.BINARY).body(blob).queryParam("digest", digest)
                .put(location.substring(EXTERNAL.length())).then().statusCode(201)
                .header("Location", equalTo(EXTERNAL + "/v2/" + repository + "/blobs/" + digest));

        byte[] manifest = Registry.imageManifest(repository, Content.utf8("{\"os\":\"linux\"}"), Content.random(32));
        given().contentType(Registry.OCI_MANIFEST).body(manifest).put("/v2/" + repository + "/manifests/v1").then().statusCode(201)
                .header("Location", equalTo(EXTERNAL + "/v2/" + repository + "/manifests/" + Content.sha256(manifest)));
    }

    @Test
    void aDockerConfigurationNamesTheExternalHost() {
        String config = given().queryParam("docker-config", true).queryParam("ttl", "12h")
                .post("/api/v1/tokens").then().statusCode(201).extract().asString();
        assertEquals(List.of("registry.example.com:8443"), List.copyOf(new JsonObject(config).getJsonObject("auths").fieldNames()));
    }
}
