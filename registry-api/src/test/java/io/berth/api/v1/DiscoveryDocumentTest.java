package io.berth.api.v1;

import static io.restassured.RestAssured.given;
import static java.util.Map.entry;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The management API describes itself at Quay's discovery path, success codes and errors included, and offers a Swagger UI. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DiscoveryDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** The operations that do not answer 200 when they succeed, and what they answer. */
    private static final Map<String, String> SUCCESS = Map.ofEntries(
            entry("POST /api/v1/organization", "201"),
            entry("DELETE /api/v1/organization/{org}", "204"),
            entry("DELETE /api/v1/organization/{org}/members/{member}", "204"),
            entry("PUT /api/v1/organization/{org}/robots/{shortname}", "201"),
            entry("DELETE /api/v1/organization/{org}/robots/{shortname}", "204"),
            entry("POST /api/v1/organization/{org}/immutabilitypolicy", "201"),
            entry("DELETE /api/v1/organization/{org}/immutabilitypolicy/{uuid}", "204"),
            entry("POST /api/v1/organization/{namespace}/gc", "202"),
            entry("POST /api/v1/organization/{namespace}/quota", "201"),
            entry("DELETE /api/v1/organization/{namespace}/quota/{quota_id}", "204"),
            entry("POST /api/v1/organization/{namespace}/quota/{quota_id}/limit", "201"),
            entry("DELETE /api/v1/organization/{namespace}/quota/{quota_id}/limit/{limit_id}", "204"),
            entry("POST /api/v1/superuser/organization/{namespace}/quota", "201"),
            entry("DELETE /api/v1/superuser/organization/{namespace}/quota/{quota_id}", "204"),
            entry("POST /api/v1/superuser/organization/{namespace}/quota/{quota_id}/limit", "201"),
            entry("DELETE /api/v1/superuser/organization/{namespace}/quota/{quota_id}/limit/{limit_id}", "204"),
            entry("POST /api/v1/superuser/users/{namespace}/quota", "201"),
            entry("DELETE /api/v1/superuser/users/{namespace}/quota/{quota_id}", "204"),
            entry("POST /api/v1/superuser/users/{namespace}/quota/{quota_id}/limit", "201"),
            entry("DELETE /api/v1/superuser/users/{namespace}/quota/{quota_id}/limit/{limit_id}", "204"),
            entry("POST /api/v1/organization/{org}/autoprunepolicy", "201"),
            entry("DELETE /api/v1/organization/{org}/autoprunepolicy/{policy_uuid}", "204"),
            entry("POST /api/v1/release", "202"),
            entry("POST /api/v1/release/{id}/retry", "202"),
            entry("POST /api/v1/repository", "201"),
            entry("DELETE /api/v1/repository/{repository}", "204"),
            entry("POST /api/v1/repository/{repository}/manifest/{digest}/labels", "201"),
            entry("POST /api/v1/repository/{repository}/autoprunepolicy", "201"),
            entry("DELETE /api/v1/repository/{repository}/autoprunepolicy/{policy_uuid}", "204"),
            entry("DELETE /api/v1/repository/{repository}/manifest/{digest}/labels/{labelid}", "204"),
            entry("DELETE /api/v1/repository/{repository}/permissions/user/{username}", "204"),
            entry("POST /api/v1/repository/{repository}/immutabilitypolicy", "201"),
            entry("DELETE /api/v1/repository/{repository}/immutabilitypolicy/{uuid}", "204"),
            entry("POST /api/v1/repository/{repository}/tag/bulk-delete", "207"),
            entry("POST /api/v1/superuser/gc", "202"),
            entry("POST /api/v1/superuser/gc/orphans", "202"),
            entry("POST /api/v1/superuser/users", "201"),
            entry("DELETE /api/v1/superuser/users/{username}", "204"),
            entry("POST /api/v1/tokens", "201"),
            entry("DELETE /api/v1/tokens/{id}", "204"),
            entry("POST /api/v1/user/autoprunepolicy", "201"),
            entry("DELETE /api/v1/user/autoprunepolicy/{policy_uuid}", "204"),
            entry("PUT /api/v1/user/robots/{shortname}", "201"),
            entry("DELETE /api/v1/user/robots/{shortname}", "204"));

    @Test
    void theOpenApiDocumentListsEveryEndpointWithItsErrors() {
        var document = given().auth().none().accept("application/json").get("/api/v1/discovery").then().statusCode(200)
                .body("info.title", equalTo("Berth management API"))
                .body("components.schemas", hasKey("ApiError"))
                .body("components.schemas.ApiError.properties", hasKey("error"))
                .body("components.securitySchemes", hasKey("basic"))
                .body("components.securitySchemes", hasKey("bearer"));
        for (String path : new String[] {"/api/v1/tokens", "/api/v1/tokens/{id}/regenerate", "/api/v1/organization/{org}/robots/{shortname}",
                "/api/v1/repository", "/api/v1/repository/{repository}/tag/bulk-delete", "/api/v1/repository/{repository}/changestate",
                "/api/v1/repository/{repository}/permissions/user/{username}", "/api/v1/superuser/users", "/api/v1/user",
                "/api/v1/organization/{org}/immutabilitypolicy", "/api/v1/organization/{org}/immutabilitypolicy/{uuid}",
                "/api/v1/repository/{repository}/immutabilitypolicy", "/api/v1/repository/{repository}/immutabilitypolicy/{uuid}",
                "/api/v1/release", "/api/v1/release/{id}", "/api/v1/release/{id}/retry",
                "/api/v1/verify-pull", "/api/v1/repository/{repository}/tag/newest"}) {
            document.body("paths", hasKey(path));
        }
        document.body("paths.'/api/v1/tokens'.post.responses.'400'.content.'application/json'.schema.'$ref'",
                equalTo("#/components/schemas/ApiError"));
        document.body("paths.'/api/v1/repository/{repository}/tag/{tag}'.delete.responses.'404'.description", notNullValue());
        document.body("paths.'/api/v1/repository'.post.responses.'400'.content.'application/json'.schema.'$ref'",
                equalTo("#/components/schemas/ApiError"));
    }

    @Test
    void theQuotaOperationsAreListed() {
        var document = given().auth().none().accept("application/json").get("/api/v1/discovery").then().statusCode(200);
        for (String base : new String[] {"/api/v1/organization/{namespace}/quota", "/api/v1/superuser/organization/{namespace}/quota",
                "/api/v1/superuser/users/{namespace}/quota"}) {
            for (String path : new String[] {base, base + "/{quota_id}", base + "/{quota_id}/limit", base + "/{quota_id}/limit/{limit_id}",
                    base + "/recount"}) {
                document.body("paths", hasKey(path));
            }
            document.body("paths.'" + base + "'.keySet()", hasItems("get", "post"));
            document.body("paths.'" + base + "/{quota_id}'.keySet()", hasItems("get", "put", "delete"));
            document.body("paths.'" + base + "/{quota_id}/limit/{limit_id}'.keySet()", hasItems("get", "put", "delete"));
        }
        for (String path : new String[] {"/api/v1/user/quota", "/api/v1/user/quota/{quota_id}", "/api/v1/user/quota/{quota_id}/limit",
                "/api/v1/user/quota/{quota_id}/limit/{limit_id}", "/api/v1/superuser/quota/recount"}) {
            document.body("paths", hasKey(path));
        }
        document.body("paths.'/api/v1/organization/{namespace}/quota'.post.responses.'400'.content.'application/json'.schema.'$ref'",
                equalTo("#/components/schemas/ApiError"));
    }

    @Test
    void theDocumentIsJsonUnlessYamlIsAskedFor() {
        for (String accept : new String[] {null, "*/*", "application/json", "text/html,*/*;q=0.8"}) {
            var request = given().auth().none();
            if (accept != null) {
                request.accept(accept);
            }
            request.get("/api/v1/discovery").then().statusCode(200).contentType(startsWith("application/json"))
                    .body("info.title", equalTo("Berth management API"));
        }
        given().auth().none().accept("application/yaml").get("/api/v1/discovery").then().statusCode(200)
                .contentType(startsWith("application/yaml")).body(containsString("openapi: "));
        given().auth().none().queryParam("format", "yaml").get("/api/v1/discovery").then().statusCode(200)
                .contentType(startsWith("application/yaml"));
    }

    @Test
    void everyOperationDocumentsTheStatusItAnswersOnSuccess() {
        Map<String, Map<String, Map<String, Object>>> paths = given().auth().none().get("/api/v1/discovery").jsonPath().getMap("paths");
        List<String> wrong = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            String key = method.toUpperCase() + " " + path;
            seen.add(key);
            @SuppressWarnings("unchecked")
            Set<String> success = new TreeSet<>(((Map<String, Object>) operation.get("responses")).keySet());
            success.removeIf(code -> !code.startsWith("2"));
            if (!success.equals(Set.of(SUCCESS.getOrDefault(key, "200")))) {
                wrong.add(key + " documents " + success + ", answers " + SUCCESS.getOrDefault(key, "200"));
            }
        }));
        assertEquals(List.of(), wrong);
        assertTrue(seen.containsAll(SUCCESS.keySet()), "operations missing from the document: " + SUCCESS.keySet() + " vs " + seen);
    }

    @Test
    void realAnswersHaveTheDocumentedSuccessStatus() {
        Map<String, Map<String, Map<String, Object>>> paths = given().auth().none().get("/api/v1/discovery").jsonPath().getMap("paths");
        String org = "documented" + Long.toHexString(System.nanoTime());
        String repository = org + "/app";
        String base = "/api/v1/repository/" + repository;

        documented(paths, "POST", "/api/v1/organization", Accounts.asAdmin().body("{\"name\":\"" + org + "\"}").post("/api/v1/organization/"));
        documented(paths, "PUT", "/api/v1/organization/{org}/robots/{shortname}",
                Accounts.asAdmin().body("{}").put("/api/v1/organization/" + org + "/robots/builder"));
        documented(paths, "POST", "/api/v1/repository",
                Accounts.asAdmin().body("{\"namespace\":\"" + org + "\",\"repository\":\"app\"}").post("/api/v1/repository"));
        String digest = io.berth.api.testing.Content.sha256(Registry.pushImage(repository, "v1"));
        Registry.pushImage(repository, "v2");
        Response label = Accounts.asAdmin().body("{\"key\":\"team\",\"value\":\"infra\"}").post(base + "/manifest/" + digest + "/labels");
        documented(paths, "POST", "/api/v1/repository/{repository}/manifest/{digest}/labels", label);
        documented(paths, "DELETE", "/api/v1/repository/{repository}/manifest/{digest}/labels/{labelid}",
                Accounts.asAdmin().delete(base + "/manifest/" + digest + "/labels/" + label.path("id")));
        documented(paths, "DELETE", "/api/v1/repository/{repository}/tag/{tag}", Accounts.asAdmin().delete(base + "/tag/v2"));
        documented(paths, "POST", "/api/v1/repository/{repository}/tag/bulk-delete",
                Accounts.asAdmin().body("{\"tags\":[\"v1\",\"none\"]}").post(base + "/tag/bulk-delete"));
        documented(paths, "GET", "/api/v1/repository/{repository}/image", Accounts.asAdmin().get(base + "/image"));
        documented(paths, "POST", "/api/v1/organization/{namespace}/gc",
                Accounts.asAdmin().queryParam("dry_run", true).post("/api/v1/organization/" + org + "/gc"));
        Response token = Accounts.as(Credentials.ADMIN, Credentials.ADMIN_PASSWORD).post("/api/v1/tokens");
        documented(paths, "POST", "/api/v1/tokens", token);
        documented(paths, "DELETE", "/api/v1/tokens/{id}", Accounts.asAdmin().delete("/api/v1/tokens/" + token.path("id")));
        documented(paths, "DELETE", "/api/v1/organization/{org}/robots/{shortname}",
                Accounts.asAdmin().delete("/api/v1/organization/" + org + "/robots/builder"));
        documented(paths, "DELETE", "/api/v1/repository/{repository}", Accounts.asAdmin().delete(base));
        documented(paths, "DELETE", "/api/v1/organization/{org}", Accounts.asAdmin().delete("/api/v1/organization/" + org));
    }

    @Test
    void theSwaggerUiIsServed() {
        given().auth().none().get("/api/v1/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    /** The answer's status is the success status the document gives the operation. */
    @SuppressWarnings("unchecked")
    private static void documented(Map<String, Map<String, Map<String, Object>>> paths, String method, String path, Response answer) {
        Set<String> success = new TreeSet<>(((Map<String, Object>) paths.get(path).get(method.toLowerCase()).get("responses")).keySet());
        success.removeIf(code -> !code.startsWith("2"));
        assertEquals(success, Set.of(String.valueOf(answer.statusCode())), method + " " + path + ": " + answer.asString());
    }
}
