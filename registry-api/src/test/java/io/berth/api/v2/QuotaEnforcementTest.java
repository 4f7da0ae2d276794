package io.berth.api.v2;

import static io.berth.api.testing.OciErrorAssertions.ociError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Quotas;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Usage counted per namespace and Reject limits enforced on /v2: each digest counts once however
 * many repositories and manifests hold it; a push that would take usage past the limit is refused
 * with 403 DENIED saying the quota, the usage and the limit, and leaves nothing behind; pushes that
 * add nothing still work; concurrent pushes never overshoot.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class QuotaEnforcementTest {

    @Test
    void sharedLayersCountOnceInTheNamespace() {
        String org = Quotas.organization("shared");
        byte[] layer = Content.random(40_000);
        byte[] configA = Content.utf8("{\"a\":1}");
        byte[] configB = Content.utf8("{\"b\":2}");
        byte[] manifestA = Registry.imageManifest(org + "/one", configA, layer);
        Registry.putManifest(org + "/one", "v1", Registry.OCI_MANIFEST, manifestA);
        byte[] manifestB = Registry.imageManifest(org + "/two", configB, layer);
        Registry.putManifest(org + "/two", "v1", Registry.OCI_MANIFEST, manifestB);
        // The same manifest in both repositories counts once too, and so does a second tag.
        given().contentType(ContentType.BINARY).body(configA).queryParam("digest", Content.sha256(configA))
                .post("/v2/" + org + "/two/blobs/uploads/").then().statusCode(201);
        Registry.putManifest(org + "/two", "copy", Registry.OCI_MANIFEST, manifestA);
        Registry.putManifest(org + "/two", "again", Registry.OCI_MANIFEST, manifestA);

        long expected = layer.length + configA.length + configB.length + manifestA.length + manifestB.length;
        assertEquals(expected, Quotas.usage(org));
        assertEquals(expected, Quotas.recount(org).getLong("recounted_bytes"));
        assertEquals(0, Quotas.recount(org).getLong("drift_bytes"));
    }

    @Test
    void aPushPastTheRejectLimitIsRefusedAndLeavesNothing() {
        String org = Quotas.organization("reject");
        byte[] first = Content.random(60_000);
        Registry.pushBlob(org + "/app", first);
        Quotas.rejectingAt(org, 100_000);

        // Completion of a blob that does not fit: refused with the figures, no link, no session.
        byte[] big = Content.random(50_000);
        String location = given().post("/v2/" + org + "/app/blobs/uploads/").then().statusCode(202).extract().header("Location");
        ociError(given().contentType(ContentType.BINARY).body(big).queryParam("digest", Content.sha256(big)).put(location).then(),
                403, "DENIED")
                .body("errors[0].message", allOf(containsString("quota exceeded"), containsString("namespace " + org),
                        containsString("58.6 KiB"), containsString("97.7 KiB")));
        given().head("/v2/" + org + "/app/blobs/" + Content.sha256(big)).then().statusCode(404);
        given().get(location).then().statusCode(404);
        assertEquals(first.length, Quotas.usage(org));

        // A monolithic push of a blob that does not fit: refused as well.
        ociError(given().contentType(ContentType.BINARY).body(big).queryParam("digest", Content.sha256(big))
                .post("/v2/" + org + "/other/blobs/uploads/").then(), 403, "DENIED");

        // What fits is taken, up to the limit exactly.
        byte[] fits = Content.random(40_000);
        Registry.pushBlob(org + "/app", fits);
        assertEquals(100_000, Quotas.usage(org));

        // At the limit, a new upload is refused at its first request, a mount of a blob from outside too...
        ociError(given().post("/v2/" + org + "/app/blobs/uploads/").then(), 403, "DENIED")
                .body("errors[0].message", containsString("uses 97.7 KiB of its 97.7 KiB limit"));
        String outside = Content.uniqueRepository("outside");
        String foreign = Registry.pushBlob(outside, Content.random(1_000));
        ociError(given().queryParam("mount", foreign).queryParam("from", outside).post("/v2/" + org + "/app/blobs/uploads/").then(),
                403, "DENIED");

        // ...while pushes that add nothing still work: a blob the namespace holds, in another of its repositories.
        Registry.pushBlob(org + "/second", first);
        given().queryParam("mount", Content.sha256(fits)).queryParam("from", org + "/app").post("/v2/" + org + "/second/blobs/uploads/")
                .then().statusCode(201);
        assertEquals(100_000, Quotas.usage(org));
        assertEquals(0, Quotas.recount(org).getLong("drift_bytes"));
    }

    @Test
    void aManifestPushThatAddsBytesIsRefusedButARetagIsNot() {
        String org = Quotas.organization("retag");
        byte[] manifest = Registry.pushImage(org + "/app", "v1");
        long used = Quotas.usage(org);
        Quotas.rejectingAt(org, used);

        // A retag of the manifest the namespace holds adds nothing: allowed at the limit, in another repository too.
        Registry.putManifest(org + "/app", "v2", Registry.OCI_MANIFEST, manifest);
        Registry.putManifest(org + "/app", "latest", Registry.OCI_MANIFEST, manifest);
        Accounts.asAdmin().body("{\"manifest_digest\":\"" + Content.sha256(manifest) + "\"}").put("/api/v1/repository/" + org + "/app/tag/v3")
                .then().statusCode(200);

        // A new manifest over the same blobs adds its own bytes: refused, and not stored.
        byte[] annotated = new String(manifest, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"schemaVersion\":2", "\"schemaVersion\":2,\"annotations\":{\"x\":\"y\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ociError(given().contentType(Registry.OCI_MANIFEST).body(annotated).put("/v2/" + org + "/app/manifests/v4").then(), 403, "DENIED")
                .body("errors[0].message", containsString("quota exceeded: namespace " + org));
        given().get("/v2/" + org + "/app/manifests/v4").then().statusCode(404);
        given().get("/v2/" + org + "/app/manifests/" + Content.sha256(annotated)).then().statusCode(404);
        assertEquals(used, Quotas.usage(org));
    }

    @Test
    void crossingAWarningLimitIsLoggedOncePerCrossing() {
        String org = Quotas.organization("warned");
        long quota = Quotas.create(org, 100_000);
        long warning = Quotas.limit(org, quota, "Warning", 50);
        Registry.pushBlob(org + "/app", Content.random(30_000));
        Registry.pushBlob(org + "/app", Content.random(30_000));
        Registry.pushBlob(org + "/app", Content.random(30_000));
        Registry.pushBlob(org + "/app", Content.random(5_000));

        JsonPath logs = Accounts.asAdmin().get("/api/v1/organization/" + org + "/logs").then().statusCode(200).extract().jsonPath();
        List<Object> warnings = logs.getList("logs.findAll { it.kind == 'quota_warning' }");
        assertEquals(1, warnings.size(), "one crossing, one entry: " + logs.prettify());
        assertEquals(60_000, logs.getLong("logs.find { it.kind == 'quota_warning' }.metadata.used_bytes"));
        assertEquals(warning, logs.getLong("logs.find { it.kind == 'quota_warning' }.metadata.limit_id"));
        assertEquals(100_000, logs.getLong("logs.find { it.kind == 'quota_warning' }.metadata.limit_bytes"));
    }

    @Test
    void concurrentPushesNeverOvershootTheLimit() throws Exception {
        String org = Quotas.organization("racing");
        int blobSize = 50_000;
        int fitting = 5;
        Quotas.rejectingAt(org, (long) blobSize * fitting + blobSize / 2);
        int pushes = 16;
        ExecutorService pool = Executors.newFixedThreadPool(pushes);
        try {
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < pushes; i++) {
                byte[] blob = Content.random(blobSize);
                String repository = org + "/app" + (i % 3);
                outcomes.add(pool.submit(() -> {
                    String location = given().post("/v2/" + repository + "/blobs/uploads/").then().extract().header("Location");
                    if (location == null) {
                        return 403;
                    }
                    return given().contentType(ContentType.BINARY).body(blob).queryParam("digest", Content.sha256(blob)).put(location)
                            .then().extract().statusCode();
                }));
            }
            int stored = 0;
            for (Future<Integer> outcome : outcomes) {
                int status = outcome.get();
                assertTrue(status == 201 || status == 403, "a push answered " + status);
                stored += status == 201 ? 1 : 0;
            }
            // The check and the addition happen under the counter's row lock: exactly what fits is stored.
            assertEquals(fitting, stored);
            assertEquals((long) blobSize * fitting, Quotas.usage(org));
            JsonPath recount = Quotas.recount(org);
            assertEquals(0, recount.getLong("drift_bytes"));
            assertEquals((long) blobSize * fitting, recount.getLong("recounted_bytes"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentPushesOfOneBlobToTwoRepositoriesCountItOnce() throws Exception {
        String org = Quotas.organization("samedigest");
        byte[] blob = Content.random(30_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String repository = org + "/r" + i;
                outcomes.add(pool.submit(() -> given().contentType(ContentType.BINARY).body(blob).queryParam("digest", Content.sha256(blob))
                        .post("/v2/" + repository + "/blobs/uploads/").then().extract().statusCode()));
            }
            for (Future<Integer> outcome : outcomes) {
                assertEquals(201, outcome.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(blob.length, Quotas.usage(org));
        Accounts.asAdmin().delete("/api/v1/repository/" + org + "/r0").then().statusCode(204);
        assertEquals(blob.length, Quotas.usage(org));
        for (int i = 1; i < 8; i++) {
            Accounts.asAdmin().delete("/api/v1/repository/" + org + "/r" + i).then().statusCode(204);
        }
        assertEquals(0, Quotas.usage(org));
        assertEquals(0, Quotas.recount(org).getLong("drift_bytes"));
        given().get("/api/v1/organization/" + org).then().body("size", equalTo(0));
    }
}
