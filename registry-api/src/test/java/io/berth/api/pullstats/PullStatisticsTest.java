package io.berth.api.pullstats;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Podman;
import io.berth.api.testing.Registry;
import io.berth.api.testing.Skopeo;
import io.berth.core.pullstats.PullStatistics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pull statistics as clients make them and administrators read them: real pulls by skopeo and podman
 * counted per tag and per manifest, what is no pull (HEAD, 304, errors), many pulls written in one
 * batch, and the tag and image listings sorted by them. The periodic write is an hour away in tests,
 * so each test writes what it counted itself.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class PullStatisticsTest {

    @Inject
    PullStatistics statistics;

    @TempDir
    Path work;

    @Test
    void pullsBySkopeoAndPodmanCountForTheTagAndTheManifestsTheyFetched() {
        String repository = Content.uniqueRepository("pulls");
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String image = layout.addImage("v1", "amd64", 1, 20_000);
        String index = layout.addIndex("multi", List.of("amd64", "arm64"), 10_000);
        Skopeo.copyAll(layout.reference("v1"), repository + ":v1");
        Skopeo.copyAll(layout.reference("multi"), repository + ":multi");
        List<String> children = images(repository, Map.of()).getList("images.find { it.digest == '" + index + "' }.platforms.digest");
        flush();
        // Pushing is no pull, and neither is the listing.
        Map<String, Object> pushed = tag(repository, "v1");
        assertEquals(0, ((Number) pushed.get("pullCount")).intValue(), pushed::toString);
        assertNull(pushed.get("lastPulled"), pushed::toString);
        assertTrue(pushed.containsKey("lastPulled"), "lastPulled is listed, as null, for a tag never pulled: " + pushed);

        Instant before = Instant.now().minusMillis(1);
        Skopeo.pull(repository + ":v1", work.resolve("pulled-1"));
        Skopeo.pull(repository + ":v1", work.resolve("pulled-2"));
        Podman.run(work.resolve("podman"), "pull", "--tls-verify=false", "localhost:" + RestAssured.port + "/" + repository + ":v1");
        // By digest: the manifest's pull, not its tag's.
        Cli.run("skopeo", "copy", "--retry-times=0", "--src-tls-verify=false", Skopeo.reference(repository + "@" + image),
                "oci:" + work.resolve("by-digest") + ":v1");
        // Every platform of the index: the index by tag, then each child by digest.
        Cli.run("skopeo", "copy", "--all", "--retry-times=0", "--src-tls-verify=false", Skopeo.reference(repository + ":multi"),
                "oci:" + work.resolve("all") + ":multi");
        flush();
        Instant after = Instant.now().plusMillis(1);

        Map<String, Object> v1 = tag(repository, "v1");
        assertEquals(3, ((Number) v1.get("pullCount")).intValue(), v1::toString);
        Instant lastPulled = Instant.parse((String) v1.get("lastPulled"));
        assertTrue(!lastPulled.isBefore(before) && !lastPulled.isAfter(after), () -> lastPulled + " not within the pulls");
        assertEquals(1, ((Number) tag(repository, "multi").get("pullCount")).intValue());

        JsonPath images = given().queryParam("limit", 100).get("/api/v1/repository/" + repository + "/image").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(4, pullsOf(images, image), "three pulls by tag and one by digest");
        assertEquals(1, pullsOf(images, index));
        for (String child : children) {
            assertEquals(1, pullsOf(images, child), child);
        }
        assertEquals(2, children.size());
    }

    @Test
    void headNotModifiedAndFailedGetsAreNoPulls() {
        String repository = Content.uniqueRepository("nopulls");
        String digest = Content.sha256(Registry.pushImage(repository, "v1"));
        String manifests = "/v2/" + repository + "/manifests/";
        given().accept(Registry.OCI_MANIFEST).get(manifests + "v1").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            given().accept(Registry.OCI_MANIFEST).head(manifests + "v1").then().statusCode(200);
            given().accept(Registry.OCI_MANIFEST).head(manifests + digest).then().statusCode(200);
            given().accept(Registry.OCI_MANIFEST).header("If-None-Match", "\"" + digest + "\"").get(manifests + "v1").then().statusCode(304);
            given().accept(Registry.OCI_MANIFEST).get(manifests + "nope").then().statusCode(404);
            given().accept(Registry.OCI_MANIFEST).get(manifests + "sha256:" + "0".repeat(64)).then().statusCode(404);
        }
        flush();
        assertEquals(1, ((Number) tag(repository, "v1").get("pullCount")).intValue());
        assertEquals(1, pullsOf(images(repository, Map.of()), digest));
    }

    @Test
    void manyPullsAreWrittenAsOneBatchOfOneRowPerTagAndManifest() {
        String repository = Content.uniqueRepository("batch");
        byte[] first = Registry.pushImage(repository, "a");
        Registry.putManifest(repository, "b", Registry.OCI_MANIFEST, first);
        String second = Content.sha256(Registry.pushImage(repository, "c"));
        // Whatever other tests left counted goes first.
        flush();
        long flushes = statistics.flushes();
        long written = statistics.written();
        String manifests = "/v2/" + repository + "/manifests/";
        for (int i = 0; i < 100; i++) {
            given().accept(Registry.OCI_MANIFEST).get(manifests + "a").then().statusCode(200);
        }
        for (int i = 0; i < 50; i++) {
            given().accept(Registry.OCI_MANIFEST).get(manifests + "b").then().statusCode(200);
        }
        for (int i = 0; i < 30; i++) {
            given().accept(Registry.OCI_MANIFEST).get(manifests + "c").then().statusCode(200);
            given().accept(Registry.OCI_MANIFEST).get(manifests + second).then().statusCode(200);
        }
        assertEquals(5, statistics.pending(), "two manifests and three tags wait in memory");

        PullStatistics.Flushed flushed = flush();
        assertEquals(1, statistics.flushes() - flushes);
        assertEquals(new PullStatistics.Flushed(210, 180, 5), flushed);
        assertEquals(210, statistics.written() - written);
        assertEquals(0, statistics.pending());
        assertEquals(100, ((Number) tag(repository, "a").get("pullCount")).intValue());
        assertEquals(50, ((Number) tag(repository, "b").get("pullCount")).intValue());
        assertEquals(30, ((Number) tag(repository, "c").get("pullCount")).intValue());
        JsonPath images = images(repository, Map.of());
        assertEquals(150, pullsOf(images, Content.sha256(first)));
        assertEquals(60, pullsOf(images, second));
        // Written counts are added to, never replaced.
        given().accept(Registry.OCI_MANIFEST).get(manifests + "a").then().statusCode(200);
        flush();
        assertEquals(101, ((Number) tag(repository, "a").get("pullCount")).intValue());
    }

    @Test
    void tagsAndImagesSortByPullCountAndLastPullNeverPulledLast() throws Exception {
        String repository = Content.uniqueRepository("sorted");
        String hot = Content.sha256(Registry.pushImage(repository, "hot"));
        String warm = Content.sha256(Registry.pushImage(repository, "warm"));
        String cold = Content.sha256(Registry.pushImage(repository, "cold"));
        String manifests = "/v2/" + repository + "/manifests/";
        for (int i = 0; i < 3; i++) {
            given().accept(Registry.OCI_MANIFEST).get(manifests + "hot").then().statusCode(200);
        }
        Thread.sleep(20);
        given().accept(Registry.OCI_MANIFEST).get(manifests + "warm").then().statusCode(200);
        flush();

        String tags = "/api/v1/repository/" + repository + "/tag/";
        Map<String, List<String>> expectedTags = Map.of(
                "pullCount/desc", List.of("hot", "warm", "cold"),
                "pullCount/asc", List.of("cold", "warm", "hot"),
                "lastPulled/desc", List.of("warm", "hot", "cold"),
                "lastPulled/asc", List.of("hot", "warm", "cold"),
                "lastModified/asc", List.of("hot", "warm", "cold"),
                "pushed/desc", List.of("cold", "warm", "hot"),
                "name/desc", List.of("warm", "hot", "cold"),
                "name/asc", List.of("cold", "hot", "warm"));
        expectedTags.forEach((sort, expected) -> given().queryParam("onlyActiveTags", true)
                .queryParam("sort_field", sort.split("/")[0]).queryParam("sort_type", sort.split("/")[1])
                .get(tags).then().statusCode(200).body("tags.name", equalTo(expected)));
        given().queryParam("onlyActiveTags", true).queryParam("sort_field", "pullCount").queryParam("sort_type", "desc")
                .queryParam("limit", 1).queryParam("page", 2).get(tags).then().body("tags.name", contains("warm"));
        given().queryParam("onlyActiveTags", true).queryParam("sort_field", "pullCount").queryParam("sort_type", "desc").get(tags)
                .then().body("tags.pullCount", contains(3, 1, 0)).body("tags[2].lastPulled", nullValue());

        Map<String, List<String>> expectedImages = Map.of(
                "pullCount/desc", List.of(hot, warm, cold),
                "pullCount/asc", List.of(cold, warm, hot),
                "lastPulled/desc", List.of(warm, hot, cold),
                "lastPulled/asc", List.of(hot, warm, cold),
                "createdAt/asc", List.of(hot, warm, cold));
        expectedImages.forEach((sort, expected) -> assertEquals(expected,
                images(repository, Map.of("sort_field", sort.split("/")[0], "sort_type", sort.split("/")[1])).getList("images.digest"),
                sort));
        assertEquals(List.of(cold, warm, hot), images(repository, Map.of()).getList("images.digest"), "newest first by default");
        assertEquals(List.of(hot, warm, cold), images(repository, Map.of("sort_field", "pullCount")).getList("images.digest"),
                "most pulled first by default");

        for (String[] bad : new String[][] {{"sort_field", "popularity"}, {"sort_type", "up"}}) {
            apiError(given().queryParam(bad[0], bad[1]).get(tags).then(), 400, "invalid_request");
            apiError(given().queryParam(bad[0], bad[1]).get("/api/v1/repository/" + repository + "/image").then(), 400,
                    "invalid_request");
        }
    }

    @Test
    void aPastPeriodOfATagHasNoPullsOfItsOwn() {
        String repository = Content.uniqueRepository("periods");
        Registry.pushImage(repository, "v1");
        given().accept(Registry.OCI_MANIFEST).get("/v2/" + repository + "/manifests/v1").then().statusCode(200);
        Registry.pushImage(repository, "v1");
        flush();
        given().queryParam("onlyActiveTags", false).get("/api/v1/repository/" + repository + "/tag/").then().statusCode(200)
                .body("tags.end_ts", contains(nullValue(), org.hamcrest.Matchers.notNullValue()))
                .body("tags[0].pullCount", equalTo(1))
                .body("tags[1].pullCount", nullValue())
                .body("tags[1].lastPulled", nullValue());
    }

    private PullStatistics.Flushed flush() {
        try {
            return statistics.flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("pull statistics not written", e);
        }
    }

    private static Map<String, Object> tag(String repository, String name) {
        List<Map<String, Object>> found = given().queryParam("specificTag", name).get("/api/v1/repository/" + repository + "/tag/")
                .then().statusCode(200).extract().jsonPath().getList("tags");
        assertEquals(1, found.size(), () -> "tag " + name + ": " + found);
        return found.get(0);
    }

    private static JsonPath images(String repository, Map<String, String> parameters) {
        return given().queryParams(parameters).queryParam("limit", 100).get("/api/v1/repository/" + repository + "/image").then()
                .statusCode(200).extract().jsonPath();
    }

    private static int pullsOf(JsonPath images, String digest) {
        return images.getInt("images.find { it.digest == '" + digest + "' }.pullCount");
    }
}
