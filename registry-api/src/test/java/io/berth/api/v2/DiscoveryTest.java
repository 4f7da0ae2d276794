package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.berth.api.testing.Registry.OCI_INDEX;
import static io.berth.api.testing.Registry.OCI_MANIFEST;
import static io.berth.api.testing.Registry.descriptor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DiscoveryTest {
    private static final byte[] EMPTY_JSON = Content.utf8("{}");

    @Test
    void tagsAreListedInLexicalOrderWithPagination() {
        String repo = Content.uniqueRepository("tags");
        byte[] manifest = Registry.pushImage(repo, "b");
        for (String tag : new String[] {"a", "C", "a1", "_z", "B"}) {
            Registry.putManifest(repo, tag, OCI_MANIFEST, manifest);
        }
        given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("name", equalTo(repo))
                .body("tags", contains("B", "C", "_z", "a", "a1", "b"))
                .header("Link", nullValue());
        given().queryParam("n", 2).when().get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .body("tags", contains("B", "C"))
                .header("Link", "</v2/" + repo + "/tags/list?n=2&last=C>; rel=\"next\"");
        given().queryParam("n", 2).queryParam("last", "C").when().get("/v2/" + repo + "/tags/list").then()
                .body("tags", contains("_z", "a"));
        given().queryParam("n", 10).queryParam("last", "a1").when().get("/v2/" + repo + "/tags/list").then()
                .body("tags", contains("b")).header("Link", nullValue());
        given().queryParam("n", 0).when().get("/v2/" + repo + "/tags/list").then().statusCode(200).body("tags", empty());
    }

    @Test
    void followingLinkHeadersVisitsEveryTagOnce() {
        String repo = Content.uniqueRepository("tags");
        byte[] manifest = Registry.pushImage(repo, "t000");
        for (int i = 1; i < 25; i++) {
            Registry.putManifest(repo, String.format("t%03d", i), OCI_MANIFEST, manifest);
        }
        List<String> seen = new ArrayList<>();
        String next = "/v2/" + repo + "/tags/list?n=7";
        while (next != null) {
            Response page = given().urlEncodingEnabled(false).when().get(next);
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("tags"));
            String link = page.header("Link");
            next = link == null ? null : link.substring(1, link.indexOf('>'));
        }
        assertEquals(25, seen.size());
        assertEquals("t000", seen.get(0));
        assertEquals("t024", seen.get(24));
    }

    @Test
    void badPaginationAndUnknownRepositories() {
        String repo = Content.uniqueRepository("tags");
        Registry.pushImage(repo, "x");
        ociError(given().queryParam("n", "-1").when().get("/v2/" + repo + "/tags/list").then(), 400, "PAGINATION_NUMBER_INVALID");
        ociError(given().queryParam("n", "lots").when().get("/v2/" + repo + "/tags/list").then(), 400, "PAGINATION_NUMBER_INVALID");
        ociError(given().when().get("/v2/never/pushed/tags/list").then(), 404, "NAME_UNKNOWN");
    }

    @Test
    void catalogListsRepositoriesWithPagination() {
        String prefix = "catalog" + Long.toHexString(System.nanoTime());
        for (String name : new String[] {"c", "a/x", "b", "a"}) {
            Registry.pushImage(prefix + "/" + name, "v");
        }
        List<String> all = given().when().get("/v2/_catalog").then().statusCode(200).extract().jsonPath().getList("repositories");
        List<String> ours = all.stream().filter(n -> n.startsWith(prefix + "/")).toList();
        assertEquals(List.of(prefix + "/a", prefix + "/a/x", prefix + "/b", prefix + "/c"), ours);
        given().queryParam("n", 2).queryParam("last", prefix + "/a").when().get("/v2/_catalog").then().statusCode(200)
                .body("repositories", contains(prefix + "/a/x", prefix + "/b"))
                .header("Link", "</v2/_catalog?n=2&last=" + prefix + "%2Fb>; rel=\"next\"");
    }

    @Test
    void referrersListManifestsWithTheSubjectAndFilterByArtifactType() {
        String repo = Content.uniqueRepository("referrers");
        byte[] subject = Registry.pushImage(repo, "app");
        JsonObject subjectDescriptor = descriptor(OCI_MANIFEST, subject);
        Registry.pushBlob(repo, EMPTY_JSON);
        byte[] sbom = Content.utf8("{\"sbom\":true}");
        Registry.pushBlob(repo, sbom);

        byte[] signature = artifact("application/vnd.example.signature", null, subjectDescriptor, "sig");
        byte[] sbomArtifact = artifact("application/vnd.example.sbom", null, subjectDescriptor, "sbom");
        byte[] configTyped = artifact(null, "application/vnd.example.config-typed", subjectDescriptor, "cfg");
        byte[] unrelated = Registry.pushImage(repo, "unrelated");
        for (byte[] manifest : List.of(signature, sbomArtifact, configTyped)) {
            given().contentType(OCI_MANIFEST).body(manifest).when().put("/v2/" + repo + "/manifests/" + Content.sha256(manifest))
                    .then().statusCode(201).header("OCI-Subject", Content.sha256(subject));
        }
        byte[] indexReferrer = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX)
                .put("artifactType", "application/vnd.example.bundle")
                .put("manifests", new JsonArray().add(descriptor(OCI_MANIFEST, unrelated)))
                .put("subject", subjectDescriptor)
                .put("annotations", new JsonObject().put("kind", "bundle"))
                .encode().getBytes(StandardCharsets.UTF_8);
        Registry.putManifest(repo, Content.sha256(indexReferrer), OCI_INDEX, indexReferrer);

        String url = "/v2/" + repo + "/referrers/" + Content.sha256(subject);
        Response all = given().when().get(url);
        all.then().statusCode(200).contentType(equalTo(OCI_INDEX))
                .body("schemaVersion", equalTo(2)).body("mediaType", equalTo(OCI_INDEX))
                .body("manifests", hasSize(4))
                .header("OCI-Filters-Applied", nullValue());
        JsonArray manifests = new JsonObject(all.asString()).getJsonArray("manifests");
        JsonObject sig = find(manifests, Content.sha256(signature));
        assertEquals("application/vnd.example.signature", sig.getString("artifactType"));
        assertEquals(OCI_MANIFEST, sig.getString("mediaType"));
        assertEquals(signature.length, sig.getLong("size"));
        assertEquals("sig", sig.getJsonObject("annotations").getString("kind"));
        assertEquals("application/vnd.example.config-typed", find(manifests, Content.sha256(configTyped)).getString("artifactType"));
        assertEquals("application/vnd.example.bundle", find(manifests, Content.sha256(indexReferrer)).getString("artifactType"));

        given().queryParam("artifactType", "application/vnd.example.sbom").when().get(url).then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType")
                .body("manifests", hasSize(1))
                .body("manifests[0].digest", equalTo(Content.sha256(sbomArtifact)));
    }

    @Test
    void referrersOfUnknownSubjectsOrRepositoriesAreEmpty() {
        String repo = Content.uniqueRepository("referrers");
        Registry.pushImage(repo, "x");
        String absent = Content.sha256(Content.random(5));
        for (String path : new String[] {"/v2/" + repo + "/referrers/" + absent, "/v2/never/seen/referrers/" + absent}) {
            given().when().get(path).then().statusCode(200).contentType(equalTo(OCI_INDEX)).body("manifests", empty());
        }
        ociError(given().when().get("/v2/" + repo + "/referrers/sha256:short").then(), 400, "DIGEST_INVALID");
    }

    @Test
    void clientTextThatNoStoredValueCouldHoldStillAnswers() {
        String repo = Content.uniqueRepository("hostile");
        Registry.pushImage(repo, "b");
        Registry.putManifest(repo, "a", OCI_MANIFEST, given().when().get("/v2/" + repo + "/manifests/b").asByteArray());
        String subject = Content.sha256(Content.random(5));
        // U+0000 cannot be stored in PostgreSQL text: a bound holding one orders as its part before it.
        assertEquals(List.of("b"), given().urlEncodingEnabled(false).queryParam("last", "a%00").when()
                .get("/v2/" + repo + "/tags/list").then().statusCode(200).extract().jsonPath().getList("tags"));
        assertEquals(List.of("a", "b"), given().urlEncodingEnabled(false).queryParam("last", "%00z").when()
                .get("/v2/" + repo + "/tags/list").then().statusCode(200).extract().jsonPath().getList("tags"));
        given().urlEncodingEnabled(false).queryParam("last", "%00").when().get("/v2/_catalog").then().statusCode(200);
        given().urlEncodingEnabled(false).queryParam("artifactType", "a%00b").when().get("/v2/" + repo + "/referrers/" + subject)
                .then().statusCode(200).header("OCI-Filters-Applied", "artifactType").body("manifests", empty());
        given().urlEncodingEnabled(false).queryParam("mount", subject).queryParam("from", "a%00b").when()
                .post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202);
        ociError(given().urlEncodingEnabled(false).when().get("/v2/" + repo + "/manifests/a%00").then(), 404, "MANIFEST_UNKNOWN");
        ociError(given().urlEncodingEnabled(false).when().get("/v2/" + repo + "/blobs/uploads/%00").then(), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    private static byte[] artifact(String artifactType, String configType, JsonObject subject, String kind) {
        JsonObject manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        if (artifactType != null) {
            manifest.put("artifactType", artifactType)
                    .put("config", descriptor("application/vnd.oci.empty.v1+json", EMPTY_JSON));
        } else {
            manifest.put("config", descriptor(configType, EMPTY_JSON));
        }
        return manifest.put("layers", new JsonArray().add(descriptor("application/vnd.oci.empty.v1+json", EMPTY_JSON)))
                .put("subject", subject)
                .put("annotations", new JsonObject().put("kind", kind))
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject find(JsonArray manifests, String digest) {
        for (int i = 0; i < manifests.size(); i++) {
            if (digest.equals(manifests.getJsonObject(i).getString("digest"))) {
                return manifests.getJsonObject(i);
            }
        }
        throw new AssertionError("no referrer " + digest + " in " + manifests);
    }
}
