package io.berth.core.protocol.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.domain.Digest;
import io.berth.core.domain.MediaTypes;
import io.berth.core.domain.ParsedManifest;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import io.berth.core.protocol.manifest.GeneratedManifests.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The manifest parser against generated documents: valid manifests and indexes, the same documents
 * mutated in every way a hostile or broken client could (wrong types, missing and extra fields,
 * repeated keys, deep nesting, huge numbers, bad digests, other encodings, random bytes). Every input
 * is either parsed, with exactly the references an independent reading of the document finds, or
 * refused with {@code MANIFEST_INVALID} and a 4xx; nothing else escapes.
 */
class ManifestParserPropertiesTest {
    private static final ObjectMapper LENIENT = new ObjectMapper();

    private final ManifestParser parser = new ManifestParser();

    @Test
    void validDocumentsParseWithExactlyTheirReferences() {
        GeneratedInputs.check(3000, GeneratedManifests.DOCUMENTS, document -> {
            byte[] payload = document.toString().getBytes(StandardCharsets.UTF_8);
            String mediaType = document.get("mediaType").textValue();
            ParsedManifest parsed = parser.parse(mediaType, payload);
            assertEquals(mediaType, parsed.mediaType());
            assertReferencesOf(document, mediaType, parsed);
        });
    }

    /** A document, how it is broken, and the Content-Type it is pushed with. */
    private record Push(ObjectNode document, Mutation mutation, long seed, String contentType) {
        @Override
        public String toString() {
            return mutation + " of " + document + " with seed " + seed + " as " + contentType;
        }
    }

    @Test
    void mutatedDocumentsParseFaithfullyOrAreManifestInvalid() {
        Gen<Push> pushes = random -> new Push(GeneratedManifests.DOCUMENTS.next(random), Gen.of(Mutation.values()).next(random),
                random.nextLong(), GeneratedManifests.CONTENT_TYPES.next(random));
        GeneratedInputs.check(5000, pushes, push -> {
            String declared = push.document().get("mediaType").textValue();
            byte[] payload = push.mutation().apply(push.document().deepCopy(), new SplittableRandom(push.seed()));
            String sent = push.contentType().equals(GeneratedManifests.AS_DECLARED) ? declared : push.contentType().isEmpty() ? null : push.contentType();
            ParsedManifest parsed;
            try {
                parsed = parser.parse(sent, payload);
            } catch (RegistryException refused) {
                assertEquals(OciErrorCode.MANIFEST_INVALID, refused.code(), refused::getMessage);
                assertTrue(refused.status() >= 400 && refused.status() < 500);
                return;
            }
            JsonNode read = readLeniently(payload);
            assertTrue(read != null && read.isObject(), "parsed a document that is no JSON object");
            assertReferencesOf(read, parsed.mediaType(), parsed);
        });
    }

    @Test
    void arbitraryBytesAreManifestInvalid() {
        Gen<byte[]> garbage = Gen.oneOf(Gen.bytes(300), Gen.utf8(Gen.string("{}[]\":,0123456789 \tabcdefnulltrue-.eE\\u", 0, 200)),
                Gen.utf8(Gen.anyString(100)));
        GeneratedInputs.check(3000, garbage, payload -> {
            RegistryException refused = org.junit.jupiter.api.Assertions.assertThrows(RegistryException.class,
                    () -> parser.parse(MediaTypes.OCI_MANIFEST, payload));
            assertEquals(OciErrorCode.MANIFEST_INVALID, refused.code());
        });
    }

    /** What an independent reader finds: config and layers that registries hold, or an index's manifests. */
    private static void assertReferencesOf(JsonNode document, String mediaType, ParsedManifest parsed) {
        Map<Digest, Long> blobs = new HashMap<>();
        Map<Digest, Long> children = new HashMap<>();
        if (MediaTypes.isIndex(mediaType)) {
            document.path("manifests").forEach(child -> children.put(Digest.parse(child.get("digest").textValue()),
                    child.get("size").longValue()));
        } else {
            JsonNode config = document.get("config");
            blobs.put(Digest.parse(config.get("digest").textValue()), config.get("size").longValue());
            document.path("layers").forEach(layer -> {
                if (!MediaTypes.isExternalLayer(layer.get("mediaType").textValue())) {
                    blobs.put(Digest.parse(layer.get("digest").textValue()), layer.get("size").longValue());
                }
            });
        }
        assertEquals(blobs, parsed.blobSizes());
        assertEquals(children, parsed.childSizes());
        JsonNode subject = document.get("subject");
        assertEquals(subject == null || subject.isNull() ? null : Digest.parse(subject.get("digest").textValue()), parsed.subject());
    }

    private static JsonNode readLeniently(byte[] payload) {
        try {
            return LENIENT.readTree(payload);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
