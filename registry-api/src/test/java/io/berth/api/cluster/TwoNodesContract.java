package io.berth.api.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.embedded.EmbeddedPostgres;
import io.berth.api.testing.Cli;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.Http;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.RegistryProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registry nodes on one PostgreSQL and one blob store behave as one registry: uploads continue
 * across nodes, content pushed to one is served by the other, and tag changes on one are seen on the
 * other within a second despite its caches, and so are revoked credentials. Run once per kind of
 * shared storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoNodesContract {
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final Duration SAFETY_WINDOW = Duration.ofSeconds(2);

    @TempDir
    static Path work;

    /** JVM options that point a node at the shared blob store. */
    protected abstract List<String> sharedStorage() throws Exception;

    protected void stopSharedStorage() throws Exception {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedPostgres postgres;
    private RegistryProcess a;
    private RegistryProcess b;

    @BeforeAll
    void startTwoNodes() throws Exception {
        postgres = EmbeddedPostgres.start(work.resolve("postgres"));
        List<String> options = new ArrayList<>(List.of(
                "-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrl(),
                "-Dquarkus.datasource.username=" + postgres.username(),
                "-Dquarkus.datasource.password=" + postgres.password(),
                // Short enough for the collection test to wait out after deleting what it just pushed.
                "-Dberth.gc.safety-window=" + SAFETY_WINDOW.toMillis() + "ms"));
        options.addAll(sharedStorage());
        String[] shared = options.toArray(String[]::new);
        a = new RegistryProcess(work.resolve("node-a"), shared);
        b = new RegistryProcess(work.resolve("node-b"), shared);
        a.start();
        b.start();
        a.createOrganizations("shared");
    }

    @AfterAll
    void stopNodes() throws Exception {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        stopSharedStorage();
    }

    @Test
    void uploadChunksAlternateBetweenNodes() throws Exception {
        byte[] blob = Content.random(3 * 700_000);
        String digest = Content.sha256(blob);
        String location = Http.send(a, "POST", "/v2/shared/blob/blobs/uploads/", null, null, 202).headers()
                .firstValue("Location").orElseThrow();
        RegistryProcess[] nodes = {b, a, b};
        for (int i = 0; i < 3; i++) {
            int from = i * 700_000;
            location = Http.send(nodes[i], "PATCH", location, Arrays.copyOfRange(blob, from, from + 700_000),
                    from + "-" + (from + 699_999), 202).headers().firstValue("Location").orElseThrow();
        }
        Http.send(a, "PUT", location + "?digest=" + digest, null, null, 201);
        assertArrayEquals(blob, Http.send(b, "GET", "/v2/shared/blob/blobs/" + digest, null, null, 200).body());
    }

    @Test
    void imagePushedToOneNodeIsPulledFromTheOther() {
        OciLayout layout = new OciLayout(work.resolve("layout"));
        String digest = layout.addImage("v1", "amd64", 2, 100_000);
        Cli.run("skopeo", "copy", "--dest-tls-verify=false", layout.reference("v1"),
                "docker://localhost:" + a.port() + "/shared/app:v1");
        String raw = Cli.run("skopeo", "inspect", "--tls-verify=false", "--raw", "docker://localhost:" + b.port() + "/shared/app:v1");
        assertEquals(digest, Content.sha256(raw.getBytes(StandardCharsets.UTF_8)));
        Path back = work.resolve("back");
        Cli.run("skopeo", "copy", "--src-tls-verify=false", "docker://localhost:" + b.port() + "/shared/app:v1", "oci:" + back + ":v1");
    }

    @Test
    void tagMovedOrDeletedOnOneNodeIsSeenOnTheOtherWithinOneSecond() throws Exception {
        String first = pushImage(a, "shared/tags", "v1");
        // Node B resolves (and caches) the tag.
        assertEquals(first, headDigest(b, "shared/tags", "v1"));
        assertEquals(first, headDigest(b, "shared/tags", "v1"));

        String second = pushImage(a, "shared/tags", "v1");
        assertTrue(seenWithin(Duration.ofSeconds(1), () -> second.equals(headDigest(b, "shared/tags", "v1"))),
                "moved tag not seen on the other node within 1 s");

        Http.send(a, "DELETE", "/v2/shared/tags/manifests/v1", null, null, 202);
        assertTrue(seenWithin(Duration.ofSeconds(1), () -> headDigest(b, "shared/tags", "v1") == null),
                "deleted tag still served by the other node after 1 s");
    }

    @Test
    void anImmutabilityRuleCreatedOnOneNodeIsEnforcedOnTheOtherWithinOneSecond() throws Exception {
        String repo = "shared/immutable";
        pushImage(a, repo, "v1");
        // Node B has loaded (and cached) the repository's rules, none, by taking pushes over v1.
        pushImage(b, repo, "v1");
        String policies = "/api/v1/repository/" + repo + "/immutabilitypolicy/";
        String uuid = new JsonObject(call(a, "POST", policies, Credentials.adminBasic(), "{\"tagPattern\":\"v1\"}", 201)).getString("uuid");
        assertTrue(seenWithin(Duration.ofSeconds(1), () -> pushStatus(b, repo, "v1") == 403),
                "node B still lets v1 move 1 s after node A made it immutable");

        call(a, "DELETE", policies + uuid, Credentials.adminBasic(), null, 204);
        assertTrue(seenWithin(Duration.ofSeconds(1), () -> pushStatus(b, repo, "v1") == 201),
                "node B still refuses to move v1 1 s after node A deleted its rule");
    }

    @Test
    void aCollectionRunOnOneNodeFreesSharedStorageAndTheOtherNodeStopsServingWhatWent() throws Exception {
        String repo = "shared/collected";
        String digest = pushImage(a, repo, "v1");
        JsonObject manifest = new JsonObject(new String(
                Http.send(b, "GET", "/v2/" + repo + "/manifests/v1", null, null, 200).body(), StandardCharsets.UTF_8));
        String layer = manifest.getJsonArray("layers").getJsonObject(0).getString("digest");
        // Node A answers (and caches) the blob before the image is deleted on node B.
        Http.send(a, "HEAD", "/v2/" + repo + "/blobs/" + layer, null, null, 200);
        Http.send(b, "DELETE", "/v2/" + repo + "/manifests/" + digest, null, null, 202);
        // The image was pushed just now: its blobs are safe until the safety window has passed.
        Thread.sleep(SAFETY_WINDOW.toMillis() + 500);

        String run = new JsonObject(new String(Http.send(b, "POST", "/api/v1/superuser/gc", null, null, 202).body(),
                StandardCharsets.UTF_8)).getString("id");
        // Any node reports the run's progress; node A follows it to the end.
        assertTrue(seenWithin(Duration.ofSeconds(30), () -> "succeeded".equals(new JsonObject(new String(
                Http.send(a, "GET", "/api/v1/gc/" + run, null, null, 200).body(), StandardCharsets.UTF_8)).getString("status"))));
        JsonObject finished = new JsonObject(new String(Http.send(a, "GET", "/api/v1/gc/" + run, null, null, 200).body(),
                StandardCharsets.UTF_8));
        // The run makes every review due at once, so a background pass on either node may settle
        // some of them first: the run deletes at least one blob, and both are gone everywhere.
        assertTrue(finished.getLong("blobsDeleted") >= 1, finished.encode());
        String config = manifest.getJsonObject("config").getString("digest");
        for (String blob : List.of(layer, config)) {
            assertTrue(seenWithin(Duration.ofSeconds(1), () -> status(a, "/v2/" + repo + "/blobs/" + blob, Credentials.adminBasic()) == 404),
                    "a collected blob is still served by the other node after 1 s");
            Http.send(b, "HEAD", "/v2/" + repo + "/blobs/" + blob, null, null, 404);
        }
    }

    @Test
    void tokensFromOneNodeWorkOnTheOtherAndARevocationReachesItWithinOneSecond() throws Exception {
        String user = "nodes" + Long.toHexString(System.nanoTime());
        call(a, "POST", "/api/v1/superuser/users/", Credentials.adminBasic(),
                "{\"username\":\"" + user + "\",\"password\":\"node-password\"}", 201);
        JsonObject created = new JsonObject(call(a, "POST", "/api/v1/tokens", Credentials.basic(user, "node-password"),
                "{\"name\":\"ci\",\"expiration\":{\"isSet\":false},\"scope\":{\"allRegistries\":true,\"modeRW\":true}}", 201));
        String secret = created.getString("token");
        String scope = "/v2/token?service=berth&scope=repository:" + user + "/app:pull,push";
        // A registry token issued by node A is accepted by node B: both sign with the one shared key.
        String issuedByA = new JsonObject(call(a, "GET", scope, Credentials.basic(user, secret), null, 200)).getString("token");
        call(b, "GET", "/v2/" + user + "/app/tags/list", "Bearer " + issuedByA, null, 404);
        call(b, "GET", scope, Credentials.basic(user, secret), null, 200);

        call(a, "DELETE", "/api/v1/tokens/" + created.getString("id"), Credentials.basic(user, "node-password"), null, 204);
        assertTrue(seenWithin(Duration.ofSeconds(1), () -> status(b, "/v2/" + user + "/app/tags/list", "Bearer " + issuedByA) == 401),
                "node B still accepts a token of a revoked credential after 1 s");
        assertEquals(401, status(b, scope, Credentials.basic(user, secret)));
    }

    private String call(RegistryProcess node, String method, String path, String authorization, String json, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Authorization", authorization)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body();
    }

    private int status(RegistryProcess node, String path, String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static boolean seenWithin(Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        do {
            if (check.holds()) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return check.holds();
    }

    /** Pushes a fresh small image under {@code tag} and returns its manifest digest. */
    private String pushImage(RegistryProcess node, String repo, String tag) throws Exception {
        byte[] config = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + System.nanoTime() + "}");
        byte[] layer = Content.random(1000);
        for (byte[] blob : new byte[][] {config, layer}) {
            Http.send(node, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Content.sha256(blob), blob, null, 201);
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Content.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + Content.sha256(layer) + "\",\"size\":" + layer.length + "}]}";
        byte[] bytes = Content.utf8(manifest);
        assertEquals(201, putManifest(node, repo, tag, bytes));
        return Content.sha256(bytes);
    }

    /** The status of a push of a fresh small image under {@code tag} (whose blobs are pushed first). */
    private int pushStatus(RegistryProcess node, String repo, String tag) throws Exception {
        byte[] config = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + System.nanoTime() + "}");
        Http.send(node, "POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Content.sha256(config), config, null, 201);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Content.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[]}";
        return putManifest(node, repo, tag, Content.utf8(manifest));
    }

    private int putManifest(RegistryProcess node, String repo, String tag, byte[] bytes) throws Exception {
        HttpRequest put = Credentials.signedIn(URI.create(node.baseUrl() + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The digest a node resolves the tag to, or null when it answers 404. */
    private String headDigest(RegistryProcess node, String repo, String tag) throws Exception {
        HttpResponse<Void> head = http.send(Credentials.signedIn(URI.create(node.baseUrl() + "/v2/" + repo + "/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 404) {
            return null;
        }
        assertEquals(200, head.statusCode());
        return head.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }
}
