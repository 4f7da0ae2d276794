package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.berth.api.testing.Skopeo;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The images of a repository pushed with skopeo: listing with platforms, sizes and layers, lookup, layers, delete. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class ImageApiTest {

    @TempDir
    Path work;

    @Test
    void imagesAreListedWithTheirPlatformsSizesAndLayers() {
        String repository = Content.uniqueRepository("images");
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String index = layout.addIndex("multi", List.of("amd64", "arm64"), 30_000);
        String single = layout.addImage("single", "riscv64", 3, 10_000);
        Skopeo.copyAll(layout.reference("multi"), repository + ":multi");
        Skopeo.copyAll(layout.reference("single"), repository + ":single");
        String base = "/api/v1/repository/" + repository;
        List<String> children = given().accept(OciLayout.INDEX).get("/v2/" + repository + "/manifests/multi").then().statusCode(200)
                .extract().path("manifests.digest");

        var listed = given().queryParam("limit", 100).get(base + "/image").then().statusCode(200)
                .body("totalCount", equalTo(4))
                .body("filteredCount", equalTo(4))
                .body("images.digest", containsInAnyOrder(index, single, children.get(0), children.get(1)));
        listed.body("images.find { it.digest == '" + index + "' }.tags", contains("multi"))
                .body("images.find { it.digest == '" + index + "' }.mediaType", equalTo(OciLayout.INDEX))
                .body("images.find { it.digest == '" + index + "' }.platforms.architecture", contains("amd64", "arm64"))
                .body("images.find { it.digest == '" + index + "' }.platforms.os", contains("linux", "linux"))
                .body("images.find { it.digest == '" + index + "' }.size", greaterThan(60_000))
                .body("images.find { it.digest == '" + single + "' }.os", equalTo("linux"))
                .body("images.find { it.digest == '" + single + "' }.architecture", equalTo("riscv64"))
                .body("images.find { it.digest == '" + single + "' }.layers", hasSize(3))
                .body("images.find { it.digest == '" + single + "' }.layers[0].size", greaterThan(10_000))
                .body("images.find { it.digest == '" + single + "' }.createdAt", notNullValue())
                .body("images.find { it.digest == '" + children.get(1) + "' }.architecture", equalTo("arm64"))
                .body("images.find { it.digest == '" + children.get(1) + "' }.tags", empty());
        // The platform read from the config is kept: a second listing answers the same.
        given().queryParam("search", "single").get(base + "/image").then()
                .body("totalCount", equalTo(4))
                .body("filteredCount", equalTo(1))
                .body("images[0].architecture", equalTo("riscv64"));
        given().queryParam("limit", 1).queryParam("offset", 1).get(base + "/image").then().body("images", hasSize(1));

        given().get(base + "/manifest/" + single).then().statusCode(200).body("digest", equalTo(single)).body("tags", contains("single"));
        given().get(base + "/manifest/single/layers").then().statusCode(200).body("layers", hasSize(3));
        given().get(base + "/manifest/" + single + "/layers").then().statusCode(200).body("layers", hasSize(3));
        apiError(given().get(base + "/manifest/sha256:" + "0".repeat(64)).then(), 404, "not_found");
        apiError(given().get(base + "/manifest/nope/layers").then(), 404, "not_found");
        apiError(given().get(base + "/manifest/not:a:digest").then(), 400, "invalid_request");

        // A manifest an index lists is not deleted from under it; an image on its own is, with its tags.
        apiError(given().delete(base + "/manifest/" + children.get(0)).then(), 409, "conflict");
        given().delete(base + "/manifest/" + single).then().statusCode(200).body("tags", contains("single"));
        apiError(given().delete(base + "/manifest/" + single).then(), 404, "not_found");
        given().get("/v2/" + repository + "/tags/list").then().body("tags", contains("multi"));
    }

    @Test
    void manifestsCarryLabels() {
        String repository = Content.uniqueRepository("labels");
        String digest = Content.sha256(io.berth.api.testing.Registry.pushImage(repository, "v1"));
        String path = "/api/v1/repository/" + repository + "/manifest/" + digest + "/labels";
        String first = given().contentType("application/json").body("{\"key\":\"com.example.team\",\"value\":\"payments\"}")
                .post(path).then().statusCode(201)
                .body("key", equalTo("com.example.team")).body("value", equalTo("payments"))
                .body("media_type", equalTo("text/plain")).body("source_type", equalTo("api"))
                .extract().path("id");
        given().contentType("application/json")
                .body("{\"key\":\"org.example.config\",\"value\":\"{\\\"a\\\":1}\",\"media_type\":\"application/json\"}")
                .post(path).then().statusCode(201);
        given().get(path).then().statusCode(200).body("labels.key", contains("com.example.team", "org.example.config"));
        given().queryParam("filter", "com.").get(path).then().body("labels.key", contains("com.example.team"));
        given().get(path + "/" + first).then().statusCode(200).body("value", equalTo("payments"));
        given().delete(path + "/" + first).then().statusCode(204);
        apiError(given().get(path + "/" + first).then(), 404, "not_found");
        apiError(given().delete(path + "/" + first).then(), 404, "not_found");
        for (String bad : new String[] {"{\"key\":\"Bad Key\",\"value\":\"x\"}", "{\"key\":\"k\"}",
                "{\"key\":\"k\",\"value\":\"x\",\"media_type\":\"image/png\"}",
                "{\"key\":\"k\",\"value\":\"not json\",\"media_type\":\"application/json\"}"}) {
            apiError(given().contentType("application/json").body(bad).post(path).then(), 400, "invalid_request");
        }
        apiError(given().get("/api/v1/repository/" + repository + "/manifest/sha256:" + "1".repeat(64) + "/labels").then(),
                404, "not_found");
    }
}
