package io.berth.api.v1;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The management API describes itself at Quay's discovery path, errors included, and offers a Swagger UI. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DiscoveryDocumentTest {

    @Test
    void theOpenApiDocumentListsEveryEndpointWithItsErrors() {
        var document = given().auth().none().accept("application/json").get("/api/v1/discovery").then().statusCode(200)
                .body("info.title", equalTo("Berth management API"))
                .body("components.schemas", hasKey("ApiError"))
                .body("components.securitySchemes", hasKey("basic"))
                .body("components.securitySchemes", hasKey("bearer"));
        for (String path : new String[] {"/api/v1/tokens", "/api/v1/tokens/{id}/regenerate", "/api/v1/organization/{org}/robots/{shortname}",
                "/api/v1/repository", "/api/v1/repository/{repository}/tag/bulk-delete", "/api/v1/repository/{repository}/changestate",
                "/api/v1/repository/{repository}/permissions/user/{username}", "/api/v1/superuser/users", "/api/v1/user"}) {
            document.body("paths", hasKey(path));
        }
        document.body("paths.'/api/v1/tokens'.post.responses.'400'.content.'application/json'.schema.'$ref'",
                equalTo("#/components/schemas/ApiError"));
        document.body("paths.'/api/v1/repository/{repository}/tag/{tag}'.delete.responses.'404'.description", notNullValue());
        document.body("paths.'/api/v1/repository'.post.responses.'400'.content.'application/json'.schema.'$ref'",
                equalTo("#/components/schemas/ApiError"));
    }

    @Test
    void theSwaggerUiIsServed() {
        given().auth().none().get("/api/v1/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
