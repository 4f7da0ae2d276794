package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.RawHttp;
import io.berth.api.testing.Registry;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class BaseRouteTest {

    @Test
    void versionCheckAnswers200WithTheApiVersionHeader() {
        given().when().get("/v2/").then().statusCode(200)
                .header("Docker-Distribution-API-Version", "registry/2.0")
                .contentType("application/json");
        given().when().get("/v2").then().statusCode(200);
    }

    @Test
    void invalidRepositoryNamesAreNameInvalid() {
        String digest = "sha256:" + "a".repeat(64);
        for (String name : new String[] {"UPPER/case", "a//b", "-lead", "trail-", "a..b", "x/" + "n".repeat(300)}) {
            HttpResponse<String> response = RawHttp.get("/v2/" + name + "/blobs/" + digest);
            assertEquals(400, response.statusCode(), name);
            assertEquals("NAME_INVALID", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code"), name);
        }
        ociError(given().when().post("/v2/Bad/blobs/uploads/").then(), 400, "NAME_INVALID");
    }

    @Test
    void multiComponentNamesWork() {
        given().when().post("/v2/a/b/c/blobs/uploads/").then().statusCode(202);
        given().when().post("/v2/a.b-c__d/e_f/blobs/uploads/").then().statusCode(202);
    }

    @Test
    void dotSegmentsAreNotCleanedOrRedirected() {
        HttpResponse<String> response = RawHttp.get("/v2/a/../b/tags/list");
        assertEquals(400, response.statusCode());
        assertEquals("NAME_INVALID", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
    }

    @Test
    void pathsThatLeaveV2OnceNormalisedAreAnsweredByTheProtocolAsSent() {
        String repo = Content.uniqueRepository("paths");
        Registry.pushImage(repo, "v1");
        String digest = "sha256:" + "a".repeat(64);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/v2/../api/v1/repository", "UNSUPPORTED");
        expected.put("/v2/%2e%2e/api/v1/repository", "UNSUPPORTED");
        expected.put("/v2/%2E%2E/api/v1/user/", "UNSUPPORTED");
        expected.put("/v2/a/../../api/v1/user/", "UNSUPPORTED");
        expected.put("/v2/../api/v1/discovery", "UNSUPPORTED");
        expected.put("/v2/../api/v1/repository/" + repo, "UNSUPPORTED");
        expected.put("/v2/..", "UNSUPPORTED");
        expected.put("/v2/%2e%2e", "UNSUPPORTED");
        expected.put("/v2/./_catalog", "UNSUPPORTED");
        expected.put("/api/v1/../../v2/_catalog", "UNSUPPORTED");
        expected.put("/v2/a/..%2f..%2fb/manifests/x", "NAME_INVALID");
        expected.put("/v2//x/manifests/y", "NAME_INVALID");
        expected.put("/v2/a/./b/tags/list", "NAME_INVALID");
        expected.put("/v2/" + repo + "/../" + repo + "/tags/list", "NAME_INVALID");
        expected.put("/v2/a/blobs/sha256:..%2f..", "DIGEST_INVALID");
        expected.put("/v2/" + repo + "/blobs/" + digest + "%2f..", "DIGEST_INVALID");
        expected.put("/v2/a/manifests/sha256:abc/def", "DIGEST_INVALID");
        expected.put("/v2/" + repo + "/manifests/" + digest + "/..", "DIGEST_INVALID");
        expected.put("/v2/a/b/blobs/sha256:abc/def/ghi", "DIGEST_INVALID");
        for (var entry : expected.entrySet()) {
            for (String method : new String[] {"GET", "DELETE"}) {
                RawHttp.Response response = RawHttp.send(method, entry.getKey(), Map.of(), null);
                String what = method + " " + entry.getKey() + ": " + response;
                assertEquals(entry.getValue(), response.errorCode(), what);
                // An endpoint that does not exist is 404; a name or digest that cannot be one is 400.
                assertEquals(entry.getValue().equals("UNSUPPORTED") ? 404 : 400, response.status(), what);
                assertEquals("registry/2.0", response.header("Docker-Distribution-API-Version"), what);
                assertNull(response.header("Location"), what);
            }
        }
        // Nothing reached the management API: the repository those DELETEs pointed at is still there.
        given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200);
    }

    @Test
    void unknownEndpointsAre404AndWrongMethodsAre405() {
        ociError(given().when().get("/v2/a/b/unknown/thing").then(), 404, "UNSUPPORTED");
        ociError(given().when().post("/v2/a/b/manifests/latest").then(), 405, "UNSUPPORTED");
        ociError(given().when().put("/v2/_catalog").then(), 405, "UNSUPPORTED");
    }

    @Test
    void errorsCarryTheApiVersionHeaderAndJsonBody() {
        given().when().get("/v2/nope/manifests/latest").then().statusCode(404)
                .header("Docker-Distribution-API-Version", equalTo("registry/2.0"))
                .contentType("application/json")
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }
}
