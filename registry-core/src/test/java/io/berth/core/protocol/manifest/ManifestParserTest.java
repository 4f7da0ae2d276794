package io.berth.core.protocol.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.core.domain.Digest;
import io.berth.core.domain.MediaTypes;
import io.berth.core.domain.ParsedManifest;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Documents that could mean two things to two readers are refused, whatever reader Berth itself is. */
class ManifestParserTest {
    private static final String CONFIG = descriptor("application/vnd.oci.image.config.v1+json", 'c', 7);
    private static final String LAYER = descriptor("application/vnd.oci.image.layer.v1.tar+gzip", 'a', 1024);
    private static final String CHILD = descriptor(MediaTypes.OCI_MANIFEST, 'b', 400);

    private final ManifestParser parser = new ManifestParser();

    @Test
    void anImageManifestAndAnIndexParseWithTheirReferencesAndSizes() {
        ParsedManifest image = parser.parse(MediaTypes.OCI_MANIFEST, utf8(image("")));
        assertEquals(Map.of(digest('c'), 7L, digest('a'), 1024L), image.blobSizes());
        assertEquals(Map.of(), image.childSizes());
        ParsedManifest index = parser.parse(MediaTypes.OCI_INDEX, utf8(index("")));
        assertEquals(Map.of(digest('b'), 400L), index.childSizes());
        assertEquals(Map.of(), index.blobSizes());
    }

    @Test
    void anImageManifestCarryingManifestsIsRefused() {
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"manifests\":[" + CHILD + "]"));
        assertInvalid(MediaTypes.DOCKER_MANIFEST, image(",\"manifests\":[]").replace(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST));
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"manifests\":null"));
    }

    @Test
    void anIndexCarryingLayersOrAConfigIsRefused() {
        assertInvalid(MediaTypes.OCI_INDEX, index(",\"layers\":[" + LAYER + "]"));
        assertInvalid(MediaTypes.OCI_INDEX, index(",\"config\":" + CONFIG));
        assertInvalid(MediaTypes.DOCKER_MANIFEST_LIST, index(",\"layers\":[]").replace(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST));
    }

    @Test
    void duplicateKeysAreRefusedAtEveryLevel() {
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"schemaVersion\":2"));
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"layers\":[]"));
        assertInvalid(MediaTypes.OCI_MANIFEST, image("").replace("\"size\":7", "\"size\":7,\"size\":8"));
        assertInvalid(MediaTypes.OCI_MANIFEST, image("").replace("\"size\":1024", "\"size\":1024,\"digest\":\"" + digest('f') + "\""));
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"annotations\":{\"a\":\"1\",\"a\":\"2\"}"));
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"extra\":{\"deep\":[{\"k\":1,\"k\":1}]}"));
    }

    @Test
    void descriptorsOfOneDigestMustAgreeOnItsSize() {
        String sameDigest = descriptor("application/vnd.oci.image.layer.v1.tar+gzip", 'c', 8);
        assertInvalid(MediaTypes.OCI_MANIFEST, image("").replace(LAYER, sameDigest));
        // The same content at the same size is fine: artifacts use the empty descriptor as config and layer.
        ParsedManifest parsed = parser.parse(MediaTypes.OCI_MANIFEST,
                utf8(image("").replace(LAYER, descriptor("application/vnd.oci.empty.v1+json", 'c', 7))));
        assertEquals(Map.of(digest('c'), 7L), parsed.blobSizes());
    }

    @Test
    void negativeOrFractionalOrHugeSizesAreRefused() {
        for (String size : new String[] {"-1", "1.5", "1e3", "\"7\"", "99999999999999999999", "null"}) {
            assertInvalid(MediaTypes.OCI_MANIFEST, image("").replace("\"size\":7", "\"size\":" + size));
        }
    }

    @Test
    void aMediaTypeFieldMustAgreeWithTheContentType() {
        assertInvalid(MediaTypes.OCI_INDEX, image(""));
        assertInvalid(MediaTypes.DOCKER_MANIFEST, image(""));
        assertEquals(MediaTypes.OCI_MANIFEST, parser.parse(null, utf8(image(""))).mediaType());
        assertEquals(MediaTypes.OCI_MANIFEST, parser.parse(MediaTypes.OCI_MANIFEST + "; charset=utf-8", utf8(image(""))).mediaType());
    }

    @Test
    void onlyOneUtf8JsonValueIsAManifest() {
        assertInvalid(MediaTypes.OCI_MANIFEST, image("") + " {}");
        assertInvalid(MediaTypes.OCI_MANIFEST, image("") + "x");
        assertThrowsInvalid(MediaTypes.OCI_MANIFEST, image("").getBytes(StandardCharsets.UTF_16BE));
        byte[] malformed = utf8(image(",\"x\":\"\u00e9\""));
        malformed[malformed.length - 3] = (byte) 0xff;
        assertThrowsInvalid(MediaTypes.OCI_MANIFEST, malformed);
        assertThrowsInvalid(MediaTypes.OCI_MANIFEST, new byte[0]);
    }

    @Test
    void textKeptInTheDatabaseMustNotHoldANulCharacter() {
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"artifactType\":\"a\\u0000b\""));
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"annotations\":{\"k\":\"v\\u0000\"}"));
        assertInvalid(MediaTypes.OCI_MANIFEST, image("").replace("image.config.v1+json", "image.config\\u0000"));
        assertInvalid(MediaTypes.OCI_MANIFEST, image(",\"annotations\":{\"k\":1}"));
    }

    @Test
    void anyConfigMediaTypeAndArtifactTypeIsAccepted() {
        ParsedManifest parsed = parser.parse(MediaTypes.OCI_MANIFEST, utf8(image(",\"artifactType\":\"application/x.\u00e9t\u00e9+anything\"")
                .replace("application/vnd.oci.image.config.v1+json", "text/whatever; q=1")));
        assertEquals("application/x.\u00e9t\u00e9+anything", parsed.artifactType());
        assertEquals("text/whatever; q=1", parsed.configMediaType());
    }

    private void assertInvalid(String contentType, String document) {
        assertThrowsInvalid(contentType, utf8(document));
    }

    private void assertThrowsInvalid(String contentType, byte[] payload) {
        RegistryException refused = assertThrows(RegistryException.class, () -> parser.parse(contentType, payload),
                () -> "accepted " + new String(payload, StandardCharsets.UTF_8));
        assertEquals(OciErrorCode.MANIFEST_INVALID, refused.code());
        assertEquals(400, refused.status());
    }

    private static String image(String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + CONFIG
                + ",\"layers\":[" + LAYER + "]" + extra + "}";
    }

    private static String index(String extra) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + CHILD + "]" + extra + "}";
    }

    private static String descriptor(String mediaType, char fill, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(fill) + "\",\"size\":" + size + "}";
    }

    /** A digest of one repeated hex character, so a document reads as which descriptor is which. */
    private static Digest digest(char hex) {
        return Digest.parse("sha256:" + String.valueOf(hex).repeat(64));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
