package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.berth.api.testing.Skopeo;
import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cleanup of images by tags and digests, with what is referenced left in place and reported. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class CleanupApiTest {

    @TempDir
    Path work;

    @Test
    void imagesGoWithTheirTagsAndReferencedOnesAreReportedNotDeleted() {
        String repository = Content.uniqueRepository("cleanup");
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String index = layout.addIndex("multi", List.of("amd64", "arm64"), 20_000);
        Skopeo.copyAll(layout.reference("multi"), repository + ":multi");
        byte[] indexBytes = given().accept(Registry.OCI_INDEX).get("/v2/" + repository + "/manifests/multi").asByteArray();
        String child = new JsonObject(new String(indexBytes, StandardCharsets.UTF_8)).getJsonArray("manifests").getJsonObject(0)
                .getString("digest");
        byte[] single = Registry.pushImage(repository, "v1");
        Registry.putManifest(repository, "v1-alias", Registry.OCI_MANIFEST, single);
        byte[] other = Registry.pushImage(repository, "v2");
        String unknown = Content.sha256(Content.random(16));

        given().contentType("application/json").body(new JsonObject()
                        .put("tags", new JsonArray(List.of("v1", "missing")))
                        .put("digests", new JsonArray(List.of(child, "sha256:not-hex", unknown)))
                        .put("disable_gc", false).encode())
                .post("/api/v1/repository/" + repository + "/cleanup").then().statusCode(200)
                .body("deleted", hasSize(1))
                .body("deleted[0].digest", equalTo(Content.sha256(single)))
                .body("deleted[0].tags", contains("v1", "v1-alias"))
                .body("failed.error", containsInAnyOrder("Image is referenced by another manifest", "invalid digest",
                        "manifest not found", "tag not found"))
                .body("failed.find { it.error == 'Image is referenced by another manifest' }.digest", equalTo(child))
                .body("failed.find { it.error == 'tag not found' }.digest", nullValue())
                .body("failed.find { it.error == 'tag not found' }.tags", contains("missing"));
        given().get("/v2/" + repository + "/tags/list").then().body("tags", contains("multi", "v2"));
        given().get("/v2/" + repository + "/manifests/" + child).then().statusCode(200);

        // The index and its child together: the index goes first, then nothing references the child.
        given().contentType("application/json").body(new JsonObject().put("digests", new JsonArray(List.of(child, index))).encode())
                .post("/api/v1/repository/" + repository + "/cleanup").then().statusCode(200)
                .body("deleted.digest", containsInAnyOrder(child, index))
                .body("failed", empty());
        given().get("/v2/" + repository + "/manifests/" + child).then().statusCode(404);
        given().get("/v2/" + repository + "/manifests/v2").then().statusCode(200)
                .header("Docker-Content-Digest", Content.sha256(other));
    }

    @Test
    void aSubjectWithReferrersStaysUntilTheyGo() {
        String repository = Content.uniqueRepository("subject");
        byte[] image = Registry.pushImage(repository, "signed");
        byte[] empty = Content.utf8("{}");
        Registry.pushBlob(repository, empty);
        byte[] signature = new JsonObject().put("schemaVersion", 2).put("mediaType", Registry.OCI_MANIFEST)
                .put("artifactType", "application/vnd.dev.cosign.artifact.sig.v1+json")
                .put("config", Registry.descriptor("application/vnd.oci.empty.v1+json", empty))
                .put("layers", new JsonArray().add(Registry.descriptor("application/vnd.oci.empty.v1+json", empty)))
                .put("subject", Registry.descriptor(Registry.OCI_MANIFEST, image))
                .encode().getBytes(StandardCharsets.UTF_8);
        Registry.putManifest(repository, Content.sha256(signature), Registry.OCI_MANIFEST, signature);

        given().contentType("application/json").body("{\"tags\":[\"signed\"]}")
                .post("/api/v1/repository/" + repository + "/cleanup").then().statusCode(200)
                .body("deleted", empty())
                .body("failed[0].digest", equalTo(Content.sha256(image)))
                .body("failed[0].tags", contains("signed"))
                .body("failed[0].error", equalTo("Image is referenced by another manifest"));
        given().contentType("application/json")
                .body(new JsonObject().put("digests", new JsonArray(List.of(Content.sha256(image), Content.sha256(signature)))).encode())
                .post("/api/v1/repository/" + repository + "/cleanup").then().statusCode(200)
                .body("deleted", hasSize(2)).body("failed", empty());
    }

    @Test
    void aFailedImageListsEveryTagItStillHas() {
        String repository = Content.uniqueRepository("kept");
        byte[] image = Registry.pushImage(repository, "stable");
        Registry.putManifest(repository, "latest", Registry.OCI_MANIFEST, image);
        byte[] index = new JsonObject().put("schemaVersion", 2).put("mediaType", Registry.OCI_INDEX)
                .put("manifests", new JsonArray().add(Registry.descriptor(Registry.OCI_MANIFEST, image)))
                .encode().getBytes(StandardCharsets.UTF_8);
        Registry.putManifest(repository, "multi", Registry.OCI_INDEX, index);

        for (String body : new String[] {"{\"digests\":[\"" + Content.sha256(image) + "\"]}", "{\"tags\":[\"stable\"]}"}) {
            given().contentType("application/json").body(body).post("/api/v1/repository/" + repository + "/cleanup").then()
                    .statusCode(200)
                    .body("deleted", empty())
                    .body("failed[0].digest", equalTo(Content.sha256(image)))
                    .body("failed[0].error", equalTo("Image is referenced by another manifest"))
                    .body("failed[0].tags", contains("latest", "stable"));
        }
    }

    @Test
    void cleanupNeedsTheRightToDeleteAndSomethingToDelete() {
        String org = "cleanorg" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/app";
        Registry.pushImage(repository, "v1");
        String robot = Accounts.createRobot(org, "reader");
        Accounts.grant(repository, org + "+reader", "read");
        apiError(given().auth().preemptive().basic(org + "+reader", robot).contentType("application/json")
                .body("{\"tags\":[\"v1\"]}").post("/api/v1/repository/" + repository + "/cleanup").then(), 403, "forbidden");
        apiError(given().contentType("application/json").body("{}").post("/api/v1/repository/" + repository + "/cleanup").then(),
                400, "invalid_request");
        apiError(given().contentType("application/json").body("{\"tags\":[\"v1\"]}")
                .post("/api/v1/repository/" + repository + "-none/cleanup").then(), 404, "not_found");
        given().get("/v2/" + repository + "/tags/list").then().body("tags", contains("v1"));
    }
}
