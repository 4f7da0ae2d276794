package io.berth.api.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Behind a TLS-terminating proxy, clients must be sent to the proxy's https address: the token realm
 * and Docker configurations follow {@code Forwarded} or {@code X-Forwarded-Proto}/{@code -Host}, and
 * locations stay relative so that they resolve against whatever URL the client used.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ForwardedAddressTest {

    @Test
    void withoutAProxyTheRealmIsTheAddressTheClientUsed() {
        given().auth().none().get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"http://localhost:" + RestAssured.port + "/v2/token\""));
    }

    @Test
    void theLegacyForwardedHeadersNameTheRealm() {
        given().auth().none().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "registry.example.com")
                .get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"https://registry.example.com/v2/token\""));
        // A chain of proxies lists the client's side first.
        given().auth().none().header("X-Forwarded-Proto", "https, http").header("X-Forwarded-Host", "edge.example:8443, inner")
                .get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"https://edge.example:8443/v2/token\""));
    }

    @Test
    void theStandardForwardedHeaderWins() {
        given().auth().none().header("Forwarded", "for=192.0.2.7;proto=https;host=\"registry.example.com:443\", for=10.0.0.1")
                .header("X-Forwarded-Proto", "http").header("X-Forwarded-Host", "ignored.example")
                .get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"https://registry.example.com:443/v2/token\""));
    }

    @Test
    void forwardedValuesThatAreNoSchemeOrHostAreIgnored() {
        for (String host : List.of("evil\", error=\"x", "a b", "host/path", "")) {
            given().auth().none().header("X-Forwarded-Proto", "gopher").header("X-Forwarded-Host", host)
                    .get("/v2/").then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer realm=\"http://localhost:" + RestAssured.port + "/v2/token\""));
        }
    }

    @Test
    void locationsStayRelativeBehindAProxy() {
        String repository = Content.uniqueRepository("fwd");
        given().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "registry.example.com")
                .post("/v2/" + repository + "/blobs/uploads/").then().statusCode(202)
                .header("Location", startsWith("/v2/" + repository + "/blobs/uploads/"));
    }

    @Test
    void aDockerConfigurationNamesTheForwardedHost() {
        String config = given().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "registry.example.com")
                .queryParam("docker-config", true).queryParam("ttl", "12h")
                .post("/api/v1/tokens").then().statusCode(201).body(containsString("auths")).extract().asString();
        assertEquals(List.of("registry.example.com"), List.copyOf(new JsonObject(config).getJsonObject("auths").fieldNames()));
    }
}
