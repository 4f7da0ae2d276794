package io.berth.api.v2;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.RawHttp;
import io.berth.api.testing.Registry;
import io.berth.core.domain.Digest;
import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import io.berth.core.protocol.manifest.GeneratedManifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Generated manifest pushes over HTTP: documents over content the repository holds (and now and
 * then content it does not, or at another size), mangled every way a client could, pushed with
 * generated Content-Types under generated references. Every push answers 201 or a 4xx OCI error,
 * never a 5xx; what was accepted is served byte for byte, and a refused push leaves nothing
 * visible: its reference and digest stay as they were, and so does the tag list.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class GeneratedManifestPushTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> REFUSALS = Set.of("MANIFEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "TAG_INVALID", "DIGEST_INVALID",
            "SIZE_INVALID");

    /** One generated push: the payload, its Content-Type (null for none), and the reference it goes to. */
    record Push(byte[] payload, String contentType, String reference) {
        @Override
        public String toString() {
            return "PUT " + reference + " as " + contentType + ": " + new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void generatedPushesAreAcceptedWholeOrRefusedWithoutTrace() {
        String repo = Content.uniqueRepository("generated");
        List<ObjectNode> blobs = new ArrayList<>();
        for (byte[] content : List.of(Content.utf8("{}"), Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}"),
                Content.random(10), Content.random(1000), Content.random(5000), new byte[0])) {
            Registry.pushBlob(repo, content);
            blobs.add(descriptorOf("application/octet-stream", Content.sha256(content), content.length));
        }
        List<ObjectNode> children = new ArrayList<>();
        for (String tag : List.of("child-a", "child-b")) {
            byte[] child = Registry.pushImage(repo, tag);
            children.add(descriptorOf(Registry.OCI_MANIFEST, Content.sha256(child), child.length));
        }
        Map<String, byte[]> tagged = new HashMap<>();
        Set<String> pushedDigests = new HashSet<>();
        given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200).extract().jsonPath().getList("tags", String.class)
                .forEach(tag -> tagged.put(tag, given().when().get("/v2/" + repo + "/manifests/" + tag).asByteArray()));

        int[] outcomes = new int[2];
        GeneratedInputs.check(300, Duration.ofSeconds(60), pushes(blobs, children), push -> {
            RawHttp.Response response = RawHttp.send("PUT", "/v2/" + repo + "/manifests/" + push.reference(),
                    push.contentType() == null ? Map.of() : Map.of("Content-Type", push.contentType()), push.payload());
            String what = response.toString();
            assertTrue(response.status() == 201 || (response.status() >= 400 && response.status() < 500), what);
            assertEquals("registry/2.0", response.header("Docker-Distribution-API-Version"), what);
            String digest = Content.sha256(push.payload());
            if (response.status() == 201) {
                assertEquals(digest, response.header("Docker-Content-Digest"), what);
                assertArrayEquals(push.payload(), given().when().get("/v2/" + repo + "/manifests/" + push.reference())
                        .then().statusCode(200).extract().asByteArray(), what);
                outcomes[0]++;
                pushedDigests.add(digest);
                if (!Digest.looksLikeDigest(push.reference())) {
                    tagged.put(push.reference(), push.payload());
                }
            } else {
                outcomes[1]++;
                assertTrue(REFUSALS.contains(response.errorCode()), what);
                byte[] before = tagged.get(push.reference());
                RawHttp.Response reference = RawHttp.send("GET", "/v2/" + repo + "/manifests/" + push.reference(), Map.of(), null);
                if (before != null) {
                    assertArrayEquals(before, reference.body(), "a refused push changed what its tag serves");
                } else if (!pushedDigests.contains(push.reference())) {
                    assertTrue(reference.status() == 404 || reference.status() == 400, () -> "refused reference is visible: " + reference);
                }
                if (!pushedDigests.contains(digest)) {
                    assertEquals(404, RawHttp.send("HEAD", "/v2/" + repo + "/manifests/" + digest, Map.of(), null).status(), what);
                }
            }
            assertEquals(new TreeSet<>(tagged.keySet()), new TreeSet<>(given().when().get("/v2/" + repo + "/tags/list")
                    .then().statusCode(200).extract().jsonPath().getList("tags", String.class)), what);
        });
        // The generated pushes must exercise both outcomes, or the test proves nothing about one of them.
        assertTrue(outcomes[0] > 20 && outcomes[1] > 20, () -> outcomes[0] + " accepted, " + outcomes[1] + " refused");
    }

    private static Gen<Push> pushes(List<ObjectNode> blobs, List<ObjectNode> children) {
        // Mostly content the repository holds, at its size; now and then absent content or a wrong size.
        Gen<ObjectNode> configs = held(blobs, GeneratedManifests.TEXT, GeneratedManifests.ANY_CONFIG);
        Gen<ObjectNode> layers = held(blobs, Gen.of("application/vnd.oci.image.layer.v1.tar+gzip",
                "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.oci.empty.v1+json"), GeneratedManifests.ANY_LAYER);
        Gen<ObjectNode> childDescriptors = held(children, Gen.of(Registry.OCI_MANIFEST), GeneratedManifests.ANY_CHILD);
        Gen<ObjectNode> documents = GeneratedManifests.documents(configs, layers, childDescriptors);
        Gen<GeneratedManifests.Mutation> mutations = Gen.weighted(
                12, Gen.constant(GeneratedManifests.Mutation.NONE),
                1, Gen.of(GeneratedManifests.Mutation.values()));
        Gen<String> tags = Gen.weighted(6, Gen.of("latest", "v1", "v1.0", "child-a", "_x"),
                1, Gen.of("-bad", ".bad", "a".repeat(129), "bad%20tag", "sha256:short", "sha256:" + "g".repeat(64)));
        return random -> {
            ObjectNode document = documents.next(random);
            GeneratedManifests.Mutation mutation = mutations.next(random);
            byte[] payload = mutation.apply(document.deepCopy(), new SplittableRandom(random.nextLong()));
            String contentType = GeneratedManifests.CONTENT_TYPES.next(random);
            String sent = contentType.equals(GeneratedManifests.AS_DECLARED) ? document.get("mediaType").textValue()
                    : contentType.isEmpty() ? null : contentType;
            String reference = switch (random.nextInt(10)) {
                case 0, 1 -> Content.sha256(payload);
                case 2 -> Content.sha256(Content.random(8));
                default -> tags.next(random);
            };
            return new Push(payload, sent, reference);
        };
    }

    /** Descriptors of held content under generated media types, with a rare absent or mis-sized one. */
    private static Gen<ObjectNode> held(List<ObjectNode> content, Gen<String> mediaTypes, Gen<ObjectNode> absent) {
        Gen<ObjectNode> exact = random -> content.get(random.nextInt(content.size())).deepCopy().put("mediaType", mediaTypes.next(random));
        Gen<ObjectNode> misSized = random -> {
            ObjectNode descriptor = exact.next(random);
            return descriptor.put("size", descriptor.get("size").longValue() + 1);
        };
        return Gen.weighted(20, exact, 1, absent, 1, misSized);
    }

    private static ObjectNode descriptorOf(String mediaType, String digest, long size) {
        return JSON.objectNode().put("mediaType", mediaType).put("digest", digest).put("size", size);
    }
}
