package io.berth.api.autoprune;

import static io.berth.api.autoprune.PruneApi.manifestPushedAgo;
import static io.berth.api.autoprune.PruneApi.pushedAgo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The untagged rule deletes old manifests nothing keeps, and never the platforms of a tagged index
 * or a signature of a live image; a dry run lists exactly what the run then deletes, tags of
 * several policies and repositories included.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@TestProfile(PruningProfile.class)
class UntaggedPruningTest {
    @Inject
    Pool pool;

    /** Pushes an image with a temporary tag and deletes the tag: an untagged manifest, pushed {@code days} ago. */
    private byte[] untagged(String repository, long days) {
        byte[] manifest = Registry.pushImage(repository, "temporary");
        given().delete("/v2/" + repository + "/manifests/temporary").then().statusCode(202);
        manifestPushedAgo(pool, repository, manifest, days);
        return manifest;
    }

    private byte[] pushedManifest(String repository, String reference, String mediaType, byte[] manifest, long days) {
        Registry.putManifest(repository, reference, mediaType, manifest);
        manifestPushedAgo(pool, repository, manifest, days);
        return manifest;
    }

    @Test
    void oldUntaggedManifestsGoAndIndexChildrenSignaturesAndYoungOnesStay() {
        String org = PruneApi.organization("untagged");
        String repository = org + "/app";
        byte[] current = Registry.pushImage(repository, "current");
        manifestPushedAgo(pool, repository, current, 30);
        byte[] signature = pushedManifest(repository, "sha256-signature", Registry.OCI_MANIFEST, Registry.referrer(repository, current), 30);
        given().delete("/v2/" + repository + "/manifests/sha256-signature").then().statusCode(202);
        byte[] platformA = untagged(repository, 30);
        byte[] platformB = untagged(repository, 30);
        byte[] taggedIndex = pushedManifest(repository, "multi", Registry.OCI_INDEX, Registry.index(platformA, platformB), 30);
        byte[] young = untagged(repository, 0);
        byte[] youngIndexChild = untagged(repository, 30);
        byte[] youngIndex = pushedManifest(repository, "young-index", Registry.OCI_INDEX, Registry.index(youngIndexChild), 0);
        given().delete("/v2/" + repository + "/manifests/young-index").then().statusCode(202);
        byte[] old = untagged(repository, 30);
        byte[] oldChildA = untagged(repository, 30);
        byte[] oldChildB = untagged(repository, 30);
        byte[] oldIndex = pushedManifest(repository, "old-index", Registry.OCI_INDEX, Registry.index(oldChildA, oldChildB), 30);
        given().delete("/v2/" + repository + "/manifests/old-index").then().statusCode(202);
        byte[] orphan = untagged(repository, 30);
        byte[] orphanSignature = pushedManifest(repository, "orphan-signature", Registry.OCI_MANIFEST, Registry.referrer(repository, orphan), 30);
        given().delete("/v2/" + repository + "/manifests/orphan-signature").then().statusCode(202);
        byte[] recent = untagged(repository, 3);
        String policy = PruneApi.policy("organization/" + org, new JsonObject().put("method", "untagged_older_than").put("value", "7d"));
        Set<String> expected = digests(old, oldChildA, oldChildB, oldIndex, orphan, orphanSignature);

        JsonPath dryRun = PruneApi.run("organization/" + org, policy, true);

        assertEquals(expected, new TreeSet<>(dryRun.getList("report.manifestsDeleted.digest")));
        assertEquals(Set.of("untagged, and pushed more than 7d ago"), new TreeSet<>(dryRun.getList("report.manifestsDeleted.reason")));
        for (byte[] stays : List.of(old, oldIndex, orphanSignature)) {
            given().get("/v2/" + repository + "/manifests/" + Content.sha256(stays)).then().statusCode(200);
        }

        JsonPath run = PruneApi.run("organization/" + org, policy, false);

        assertEquals("succeeded", run.getString("status"));
        assertEquals(expected, new TreeSet<>(run.getList("report.manifestsDeleted.digest")));
        assertEquals(List.of(), run.getList("report.manifestsKept"));
        assertEquals(expected.size(), run.getInt("manifestsDeleted"));
        for (byte[] gone : List.of(old, oldChildA, oldChildB, oldIndex, orphan, orphanSignature)) {
            given().get("/v2/" + repository + "/manifests/" + Content.sha256(gone)).then().statusCode(404);
        }
        for (byte[] kept : List.of(current, signature, platformA, platformB, taggedIndex, young, youngIndexChild, youngIndex, recent)) {
            given().get("/v2/" + repository + "/manifests/" + Content.sha256(kept)).then().statusCode(200);
        }
        given().get("/v2/" + repository + "/referrers/" + Content.sha256(current)).then().statusCode(200)
                .body("manifests.digest", hasItem(Content.sha256(signature)));
    }

    @Test
    void aDryRunListsExactlyWhatTheRunThenDeletes() {
        String org = PruneApi.organization("dryrun");
        String api = org + "/api";
        String web = org + "/web";
        for (String repository : List.of(api, web)) {
            long[] ages = {12, 10, 8, 3};
            for (int i = 1; i <= 4; i++) {
                byte[] manifest = Registry.pushImage(repository, "v" + i);
                pushedAgo(pool, repository, "v" + i, ages[i - 1]);
                manifestPushedAgo(pool, repository, manifest, ages[i - 1]);
            }
            Registry.pushImage(repository, "latest");
            untagged(repository, 20);
        }
        // Kept by pattern, deleted by age: a later policy deletes what an earlier one kept.
        PruneApi.policy("organization/" + org, new JsonObject().put("method", "number_of_tags").put("value", 2)
                .put("excludeTagPattern", "^latest$"));
        PruneApi.policy("organization/" + org, new JsonObject().put("method", "creation_date").put("value", "7d"));
        // The manifests the tag policies leave untagged go too, in the same run.
        PruneApi.policy("repository/" + api, new JsonObject().put("method", "untagged_older_than").put("value", "5d"));
        List<String> tagsBefore = Stream.concat(PruneApi.tags(api).stream(), PruneApi.tags(web).stream()).toList();

        JsonPath dryRun = PruneApi.run("organization/" + org, null, true);

        assertEquals(tagsBefore, Stream.concat(PruneApi.tags(api).stream(), PruneApi.tags(web).stream()).toList(), "a dry run deletes nothing");
        JsonPath run = PruneApi.run("organization/" + org, null, false);

        assertEquals(true, dryRun.getBoolean("dryRun"));
        assertEquals(true, dryRun.getBoolean("report.dryRun"));
        assertEquals(false, run.getBoolean("report.dryRun"));
        assertEquals(dryRun.getList("report.tagsDeleted"), run.getList("report.tagsDeleted"));
        assertEquals(dryRun.getList("report.manifestsDeleted"), run.getList("report.manifestsDeleted"));
        assertEquals(dryRun.getList("report.tagsKept"), run.getList("report.tagsKept"));
        assertEquals(dryRun.getList("report.policies"), run.getList("report.policies"));
        // number_of_tags deletes v1 and v2 (v3, v4 newest; latest excluded), creation_date then v3 (8 days), in both repositories
        assertEquals(List.of(api + ":v1", api + ":v2", api + ":v3", web + ":v1", web + ":v2", web + ":v3"),
                run.<java.util.Map<String, Object>>getList("report.tagsDeleted").stream()
                        .map(entry -> entry.get("repository") + ":" + entry.get("tag")).sorted().toList());
        // api's untagged manifest, and those of v1, v2 and v3, all older than 5 days
        assertEquals(4, run.getList("report.manifestsDeleted").size());
        assertEquals(List.of(api), run.getList("report.manifestsDeleted.repository").stream().distinct().toList());
        assertEquals(List.of("latest", "v4"), PruneApi.tags(api));
        assertEquals(List.of("latest", "v4"), PruneApi.tags(web));
        assertEquals(6, run.getInt("tagsDeleted"));
        assertEquals(0, dryRun.getInt("tagsDeleted"), "a dry run's run counts nothing as deleted");
    }

    private static Set<String> digests(byte[]... manifests) {
        Set<String> digests = new TreeSet<>();
        for (byte[] manifest : manifests) {
            digests.add(Content.sha256(manifest));
        }
        return digests;
    }
}
