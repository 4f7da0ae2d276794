package io.berth.api.autoprune;

import static io.berth.api.autoprune.PruneApi.entries;
import static io.berth.api.autoprune.PruneApi.pulledAgo;
import static io.berth.api.autoprune.PruneApi.pushedAgo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.ImmutabilityRules;
import io.berth.api.testing.Registry;
import io.berth.core.audit.UsageLog;
import io.berth.core.pullstats.PullStatistics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each tag method and each pattern, as a client sees it: which tags a run deletes and keeps, with
 * the reasons in its report, and what happens to what the deleted tags pointed at (left to garbage
 * collection, queued for its review). Push and pull times are set back in the database; one test pulls
 * as clients do and lets the pull statistics say when.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(PruningProfile.class)
class TagPruningTest {
    @Inject
    Pool pool;

    @Inject
    UsageLog usageLog;

    @Inject
    PullStatistics pullStatistics;

    /** Pushes one image per tag; the first pushed {@code 1} day ago, the next {@code 2}, and so on. */
    private Map<String, byte[]> pushed(String repository, String... tags) {
        Map<String, byte[]> manifests = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i++) {
            manifests.put(tags[i], Registry.pushImage(repository, tags[i]));
            pushedAgo(pool, repository, tags[i], i + 1);
        }
        return manifests;
    }

    @Test
    void numberOfTagsKeepsTheMostRecentlyPushedAndLeavesTheirManifestsToCollection() throws Exception {
        String org = PruneApi.organization("count");
        String repository = org + "/app";
        Map<String, byte[]> manifests = pushed(repository, "v5", "v4", "v3", "v2", "v1");
        String policy = PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 2));

        JsonPath run = PruneApi.run("organization/" + org, policy, false);

        assertEquals("succeeded", run.getString("status"));
        assertEquals(3, run.getInt("tagsDeleted"));
        assertEquals(List.of("v4", "v5"), PruneApi.tags(repository));
        assertEquals(List.of("v3=not among the 2 most recently pushed tags", "v2=not among the 2 most recently pushed tags",
                "v1=not among the 2 most recently pushed tags"), entries(run, "tagsDeleted", "tag"));
        assertEquals(List.of(repository), run.getList("report.tagsDeleted.repository").stream().distinct().toList());
        assertEquals(List.of(policy), run.getList("report.tagsDeleted.policy").stream().distinct().toList());
        assertEquals(Content.sha256(manifests.get("v3")), run.getString("report.tagsDeleted[0].digest"));
        assertEquals(List.of("v5=within the count: one of the 2 most recently pushed tags",
                "v4=within the count: one of the 2 most recently pushed tags"), entries(run, "tagsKept", "tag"));
        // The manifests stay (pullable by digest) until garbage collection has reviewed them.
        for (String gone : List.of("v3", "v2", "v1")) {
            given().get("/v2/" + repository + "/manifests/" + gone).then().statusCode(404);
            given().get("/v2/" + repository + "/manifests/" + Content.sha256(manifests.get(gone))).then().statusCode(200);
            assertEquals(1, PruneApi.query(pool, "SELECT 1 FROM gc_manifest_reviews g JOIN manifests m ON m.id = g.manifest_id"
                    + " WHERE m.digest = $1", Content.sha256(manifests.get(gone))).size(), gone + " queued for review");
        }
        // The tag's history shows the delete, as for any other.
        given().get("/api/v1/repository/" + repository + "/tag/?onlyActiveTags=false&specificTag=v1").then().statusCode(200)
                .body("tags[0].end_ts", notNullValue());
        usageLog.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        given().get("/api/v1/repository/" + repository + "/logs").then().statusCode(200)
                .body("logs.findAll { it.kind == 'autoprune_tag_delete' }.metadata.tag", containsInAnyOrder("v1", "v2", "v3"))
                .body("logs.find { it.kind == 'autoprune_tag_delete' }.metadata.policy", equalTo(policy))
                .body("logs.find { it.kind == 'autoprune_tag_delete' }.performer.name", equalTo("admin"));

        JsonPath again = PruneApi.run("organization/" + org, policy, false);
        assertEquals(0, again.getInt("tagsDeleted"));
    }

    @Test
    void creationDateDeletesTagsPushedLongerAgoThanTheAge() {
        String org = PruneApi.organization("age");
        String repository = org + "/app";
        pushed(repository, "fresh", "recent");
        Registry.pushImage(repository, "old");
        pushedAgo(pool, repository, "old", 10);
        Registry.pushImage(repository, "hours");
        pushedAgo(pool, repository, "hours", java.time.Duration.ofHours(13));
        String week = PruneApi.policy("organization/" + org, new JsonObject().put("method", "creation_date").put("value", "7d"));

        JsonPath run = PruneApi.run("organization/" + org, week, false);

        assertEquals(List.of("old=pushed more than 7d ago"), entries(run, "tagsDeleted", "tag"));
        assertEquals(List.of("fresh", "hours", "recent"), PruneApi.tags(repository));
        assertTrue(entries(run, "tagsKept", "tag").contains("recent=pushed within 7d"));

        pushedAgo(pool, repository, "fresh", java.time.Duration.ofHours(11));
        String halfDay = PruneApi.policy("repository/" + repository, new JsonObject().put("method", "creation_date").put("value", "12h"));
        JsonPath hours = PruneApi.run("repository/" + repository, halfDay, false);
        assertEquals(List.of("hours=pushed more than 12h ago", "recent=pushed more than 12h ago"),
                entries(hours, "tagsDeleted", "tag").stream().sorted().toList());
        assertEquals(List.of("fresh"), PruneApi.tags(repository));
    }

    @Test
    void numberOfTagsPulledKeepsTheMostRecentlyPulledCountingANeverPulledTagFromItsPush() {
        String org = PruneApi.organization("pulled");
        String repository = org + "/app";
        // a..e pushed 1..5 days ago (a newest)
        pushed(repository, "a", "b", "c", "d", "e");
        PruneApi.aged(pool, repository, "a", 30, null);
        PruneApi.aged(pool, repository, "b", 30, 20L);
        PruneApi.aged(pool, repository, "c", 30, 1L);
        PruneApi.aged(pool, repository, "d", 30, 2L);
        // e: never pulled, pushed 5 days ago: counts from its push, newer than b's pull
        String policy = PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags_pulled").put("value", "3"));

        JsonPath run = PruneApi.run("organization/" + org, policy, false);

        assertEquals(List.of("a=not among the 3 most recently pulled tags", "b=not among the 3 most recently pulled tags"),
                entries(run, "tagsDeleted", "tag").stream().sorted().toList());
        assertEquals(List.of("c", "d", "e"), PruneApi.tags(repository));
    }

    @Test
    void notPulledSinceDeletesWhatWasNeitherPulledNorPushedWithinTheAge() {
        String org = PruneApi.organization("unpulled");
        String repository = org + "/app";
        pushed(repository, "pulled-lately", "pulled-long-ago", "never-pulled-old", "never-pulled-new", "pushed-again");
        PruneApi.aged(pool, repository, "pulled-lately", 40, 1L);
        PruneApi.aged(pool, repository, "pulled-long-ago", 40, 10L);
        pushedAgo(pool, repository, "never-pulled-old", 10);
        pushedAgo(pool, repository, "never-pulled-new", 2);
        // pulled long ago, but pushed again yesterday: new again
        PruneApi.aged(pool, repository, "pushed-again", 1, 30L);
        String policy = PruneApi.policy("organization/" + org, new JsonObject().put("method", "not_pulled_since").put("value", "1w"));

        JsonPath run = PruneApi.run("organization/" + org, policy, false);

        assertEquals(List.of("never-pulled-old=never pulled, and pushed more than 1w ago", "pulled-long-ago=not pulled in 1w"),
                entries(run, "tagsDeleted", "tag").stream().sorted().toList());
        assertEquals(List.of("never-pulled-new=recently pushed: pushed within 1w", "pulled-lately=recently pulled: pulled within 1w",
                "pushed-again=recently pushed: pushed within 1w"), entries(run, "tagsKept", "tag").stream().sorted().toList());
        assertEquals(List.of("never-pulled-new", "pulled-lately", "pushed-again"), PruneApi.tags(repository));
    }

    @Test
    void realPullsByTagOrByDigestKeepATagThatNotPulledSinceWouldOtherwiseDelete() throws Exception {
        String org = PruneApi.organization("realpulls");
        String repository = org + "/app";
        Map<String, byte[]> manifests = pushed(repository, "by-tag", "by-digest", "unpulled", "head-only");
        for (String tag : manifests.keySet()) {
            pushedAgo(pool, repository, tag, 30);
        }
        // What clients send: a GET of the manifest by tag, one by digest (a pinned deployment), and a HEAD, which is no pull.
        String accept = "application/vnd.oci.image.manifest.v1+json";
        given().accept(accept).get("/v2/" + repository + "/manifests/by-tag").then().statusCode(200);
        given().accept(accept).get("/v2/" + repository + "/manifests/" + Content.sha256(manifests.get("by-digest"))).then().statusCode(200);
        given().accept(accept).head("/v2/" + repository + "/manifests/head-only").then().statusCode(200);
        pullStatistics.flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String policy = PruneApi.policy("organization/" + org, new JsonObject().put("method", "not_pulled_since").put("value", "7d"));

        JsonPath run = PruneApi.run("organization/" + org, policy, false);

        assertEquals(List.of("head-only=never pulled, and pushed more than 7d ago", "unpulled=never pulled, and pushed more than 7d ago"),
                entries(run, "tagsDeleted", "tag").stream().sorted().toList());
        assertEquals(List.of("by-digest=recently pulled: pulled within 7d", "by-tag=recently pulled: pulled within 7d"),
                entries(run, "tagsKept", "tag").stream().sorted().toList());
        assertEquals(List.of("by-digest", "by-tag"), PruneApi.tags(repository));
    }

    @Test
    void tagPatternLimitsThePolicyToMatchingTagsOrWithTagPatternMatchesFalseToTheOthers() {
        String org = PruneApi.organization("pattern");
        String repository = org + "/app";
        pushed(repository, "release-3", "pr-9", "release-2", "pr-8", "release-1", "pr-7");
        String releases = PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 1)
                .put("tagPattern", "^release-").put("tagPatternMatches", true));

        JsonPath run = PruneApi.run("organization/" + org, releases, true);

        assertEquals(List.of("release-1", "release-2"), run.<String>getList("report.tagsDeleted.tag").stream().sorted().toList());
        assertTrue(entries(run, "tagsKept", "tag").contains("pr-9=excluded by pattern: does not match tagPattern"));
        assertTrue(entries(run, "tagsKept", "tag").contains("release-3=within the count: one of the 1 most recently pushed tags"));

        String others = PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 1)
                .put("tagPattern", "^release-").put("tagPatternMatches", false));
        JsonPath otherRun = PruneApi.run("organization/" + org, others, false);
        assertEquals(List.of("pr-7", "pr-8"), otherRun.<String>getList("report.tagsDeleted.tag").stream().sorted().toList());
        assertTrue(entries(otherRun, "tagsKept", "tag").contains("release-1=excluded by pattern: matches tagPattern"));
        assertEquals(List.of("pr-9", "release-1", "release-2", "release-3"), PruneApi.tags(repository));
    }

    @Test
    void includeAndExcludePatternsTogetherChooseTheTagsAPolicyWeighs() {
        String org = PruneApi.organization("inex");
        String repository = org + "/app";
        pushed(repository, "v1.0", "v1.0-keep", "nightly", "v0.9");
        for (String tag : List.of("v1.0", "v1.0-keep", "nightly", "v0.9")) {
            pushedAgo(pool, repository, tag, 30);
        }
        String policy = PruneApi.policy("repository/" + repository, new JsonObject().put("method", "creation_date").put("value", "2w")
                .put("includeTagPattern", "^v[0-9]").put("excludeTagPattern", "-keep$"));

        JsonPath run = PruneApi.run("repository/" + repository, policy, false);

        assertEquals(List.of("v0.9", "v1.0"), run.<String>getList("report.tagsDeleted.tag").stream().sorted().toList());
        assertEquals(List.of("nightly=excluded by pattern: does not match includeTagPattern",
                "v1.0-keep=excluded by pattern: matches excludeTagPattern"), entries(run, "tagsKept", "tag").stream().sorted().toList());
        assertEquals(List.of("nightly", "v1.0-keep"), PruneApi.tags(repository));
    }

    @Test
    void aTagProtectedByAnImmutabilityRuleIsKeptWithTheReason() {
        String org = PruneApi.organization("immutable");
        String repository = org + "/app";
        pushed(repository, "v3", "v2", "v1", "stable");
        ImmutabilityRules.forOrganization(org, "stable|v1");
        String policy = PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 1));

        JsonPath run = PruneApi.run("organization/" + org, policy, false);

        assertEquals(List.of("v2"), run.getList("report.tagsDeleted.tag"));
        List<String> kept = entries(run, "tagsKept", "tag");
        assertTrue(kept.stream().anyMatch(entry -> entry.startsWith("stable=protected by an immutability rule")), kept.toString());
        assertTrue(kept.stream().anyMatch(entry -> entry.startsWith("v1=protected by an immutability rule")), kept.toString());
        assertEquals(List.of("stable", "v1", "v3"), PruneApi.tags(repository));
    }
}
