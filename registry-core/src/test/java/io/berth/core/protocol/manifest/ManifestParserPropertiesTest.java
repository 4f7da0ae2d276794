package io.berth.core.protocol.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.domain.Digest;
import io.berth.core.domain.MediaTypes;
import io.berth.core.domain.ParsedManifest;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper LENIENT = new ObjectMapper();
    private static final List<String> MANIFEST_TYPES = List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    private final ManifestParser parser = new ManifestParser();

    @Test
    void validDocumentsParseWithExactlyTheirReferences() {
        GeneratedInputs.check(3000, DOCUMENTS, document -> {
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
        Gen<Push> pushes = random -> new Push(DOCUMENTS.next(random), Gen.of(Mutation.values()).next(random), random.nextLong(),
                CONTENT_TYPES.next(random));
        GeneratedInputs.check(5000, pushes, push -> {
            String declared = push.document().get("mediaType").textValue();
            byte[] payload = push.mutation().apply(push.document().deepCopy(), new SplittableRandom(push.seed()));
            String sent = push.contentType().equals("as declared") ? declared : push.contentType().isEmpty() ? null : push.contentType();
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

    // --- generators -------------------------------------------------------------------------

    /**
     * Text as clients write it in types and annotations, beyond ASCII; without U+0000 (tested on its
     * own) and as UTF-8 can carry it (an unpaired surrogate would be written as '?', making keys collide).
     */
    private static final Gen<String> TEXT = Gen.anyString(40)
            .map(text -> new String(text.replace('\u0000', '0').getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    private static final Gen<String> DIGESTS = Gen.oneOf(Gen.string("0123456789abcdef", 64, 64).map(hex -> "sha256:" + hex),
            Gen.string("0123456789abcdef", 128, 128).map(hex -> "sha512:" + hex));
    private static final Gen<Long> SIZES = Gen.oneOf(Gen.longBetween(0, 10_000), Gen.longBetween(0, Long.MAX_VALUE - 1));
    private static final Gen<String> LAYER_TYPES = Gen.oneOf(Gen.of("application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", MediaTypes.OCI_EMPTY), TEXT);
    private static final Gen<ObjectNode> IMAGES = random -> {
        ObjectNode document = JSON.objectNode().put("schemaVersion", 2)
                .put("mediaType", Gen.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST).next(random));
        ObjectNode config = descriptor(TEXT).next(random);
        document.set("config", config);
        ArrayNode layers = document.putArray("layers");
        descriptor(LAYER_TYPES).list(0, 6).next(random).forEach(layers::add);
        if (random.nextBoolean()) {
            // Artifacts reuse one descriptor (the empty JSON) as config and layer.
            layers.add(config.deepCopy());
        }
        optional(TEXT).next(random).ifPresent(text -> document.put("artifactType", text));
        optional(descriptor(TEXT)).next(random).ifPresent(subject -> document.set("subject", subject));
        optional(annotations()).next(random).ifPresent(map -> document.set("annotations", map));
        return document;
    };
    private static final Gen<ObjectNode> INDEXES = random -> {
        ObjectNode document = JSON.objectNode().put("schemaVersion", 2)
                .put("mediaType", Gen.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST).next(random));
        ArrayNode manifests = document.putArray("manifests");
        descriptor(Gen.of(MANIFEST_TYPES.toArray(String[]::new))).list(0, 6).next(random).forEach(manifests::add);
        optional(TEXT).next(random).ifPresent(text -> document.put("artifactType", text));
        optional(annotations()).next(random).ifPresent(map -> document.set("annotations", map));
        return document;
    };
    /** Valid documents: one size per referenced digest (two sizes are refused, see ManifestParserTest). */
    private static final Gen<ObjectNode> DOCUMENTS = Gen.<ObjectNode>oneOf(IMAGES, INDEXES).map(ManifestParserPropertiesTest::oneSizePerDigest);
    private static final Gen<String> CONTENT_TYPES = Gen.weighted(
            8, Gen.constant("as declared"),
            2, Gen.of(MANIFEST_TYPES.toArray(String[]::new)),
            1, Gen.of("", "application/json", MediaTypes.OCI_MANIFEST + "; charset=utf-8",
                    "application/vnd.docker.distribution.manifest.v1+prettyjws"));

    private static Gen<ObjectNode> descriptor(Gen<String> mediaTypes) {
        return random -> {
            ObjectNode descriptor = JSON.objectNode().put("mediaType", mediaTypes.next(random)).put("digest", DIGESTS.next(random))
                    .put("size", SIZES.next(random));
            if (random.nextBoolean()) {
                descriptor.putArray("urls").add("https://example.com/layer");
                descriptor.putObject("platform").put("os", "linux").put("architecture", "amd64");
            }
            return descriptor;
        };
    }

    private static Gen<ObjectNode> annotations() {
        return random -> {
            ObjectNode node = JSON.objectNode();
            for (int i = random.nextInt(5); i > 0; i--) {
                node.put(TEXT.next(random), TEXT.next(random));
            }
            return node;
        };
    }

    private static <T> Gen<Optional<T>> optional(Gen<T> value) {
        return random -> random.nextBoolean() ? Optional.of(value.next(random)) : Optional.empty();
    }

    /** Gives every descriptor of a digest the size its first descriptor has. */
    private static ObjectNode oneSizePerDigest(ObjectNode document) {
        Map<String, Long> sizes = new HashMap<>();
        List<JsonNode> descriptors = new ArrayList<>();
        if (document.has("config")) {
            descriptors.add(document.get("config"));
        }
        document.path("layers").forEach(descriptors::add);
        document.path("manifests").forEach(descriptors::add);
        for (JsonNode descriptor : descriptors) {
            long size = sizes.computeIfAbsent(descriptor.get("digest").textValue(), digest -> descriptor.get("size").longValue());
            ((ObjectNode) descriptor).put("size", size);
        }
        return document;
    }

    /** Ways a document goes wrong; each picks its target with the random it is given. */
    enum Mutation {
        NONE {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                return bytes(document.toString());
            }
        },
        REMOVE_FIELD {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                ObjectNode target = randomObject(document, random);
                List<String> names = new ArrayList<>();
                target.fieldNames().forEachRemaining(names::add);
                if (!names.isEmpty()) {
                    target.remove(names.get(random.nextInt(names.size())));
                }
                return bytes(document.toString());
            }
        },
        WRONG_TYPE {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                ObjectNode target = randomObject(document, random);
                List<String> names = new ArrayList<>();
                target.fieldNames().forEachRemaining(names::add);
                String name = names.isEmpty() ? "schemaVersion" : names.get(random.nextInt(names.size()));
                JsonNode[] replacements = {JSON.textNode("2"), JSON.numberNode(2.0), JSON.numberNode(3), JSON.booleanNode(true),
                        JSON.nullNode(), JSON.numberNode(-1), JSON.numberNode(new BigInteger("99999999999999999999999")),
                        JSON.numberNode(1e300), JSON.arrayNode(), JSON.objectNode(), JSON.textNode("sha256:xyz"),
                        JSON.textNode("sha256:../../etc/passwd"), JSON.textNode(""), JSON.numberNode(Long.MIN_VALUE)};
                target.set(name, replacements[random.nextInt(replacements.length)]);
                return bytes(document.toString());
            }
        },
        AMBIGUOUS_FIELD {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                String[] fields = {"manifests", "layers", "config"};
                String field = fields[random.nextInt(fields.length)];
                document.set(field, random.nextBoolean() ? JSON.arrayNode() : JSON.objectNode());
                return bytes(document.toString());
            }
        },
        DUPLICATE_KEY {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                // Every "key": of the text is a candidate; its pair is written twice, the second time changed.
                String text = document.toString();
                List<Integer> keys = new ArrayList<>();
                java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("[{,]\"(schemaVersion|mediaType|digest|size|config)\":")
                        .matcher(text);
                while (matcher.find()) {
                    keys.add(matcher.start() + 1);
                }
                if (keys.isEmpty()) {
                    return bytes(text.replaceFirst("\\{", "{\"schemaVersion\":2,"));
                }
                int at = keys.get(random.nextInt(keys.size()));
                String key = text.substring(at, text.indexOf(':', at) + 1);
                String value = switch (key) {
                    case "\"schemaVersion\":" -> "2";
                    case "\"size\":" -> "0";
                    case "\"config\":" -> "{}";
                    default -> "\"" + MediaTypes.OCI_MANIFEST + "\"";
                };
                return bytes(text.substring(0, at) + key + value + "," + text.substring(at));
            }
        },
        DEEP_NESTING {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                int depth = 10 + random.nextInt(300);
                String nested = "[".repeat(depth) + "]".repeat(depth);
                String text = document.toString();
                return bytes(text.substring(0, text.length() - 1) + ",\"nested\":" + nested + "}");
            }
        },
        HUGE_NUMBER {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                String[] numbers = {"1" + "0".repeat(400), "1e999999", "-0", "0.0000", "2.0", "18446744073709551616", "9".repeat(2000)};
                String text = document.toString().replaceFirst("\"size\":\\d+", "\"size\":" + numbers[random.nextInt(numbers.length)]);
                return bytes(text.replaceFirst("\"schemaVersion\":2", random.nextBoolean() ? "\"schemaVersion\":2" : "\"schemaVersion\":2.0"));
            }
        },
        NEGATIVE_SIZE {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                return bytes(document.toString().replaceFirst("\"size\":\\d+", "\"size\":-" + (1 + random.nextInt(1000))));
            }
        },
        BAD_DIGEST {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                String[] digests = {"sha256:", "sha256:" + "a".repeat(63), "sha256:" + "A".repeat(64), "md5:d41d8cd98f00b204e9800998ecf8427e",
                        "sha256:" + "a".repeat(64) + "/..", "../../" + "a".repeat(64), "sha512:" + "a".repeat(64), "sha256 :" + "a".repeat(64)};
                return bytes(document.toString().replaceFirst("\"digest\":\"[^\"]*\"",
                        "\"digest\":\"" + digests[random.nextInt(digests.length)] + "\""));
            }
        },
        NUL_CHARACTER {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                String[] fields = {"artifactType", "mediaType"};
                document.put(fields[random.nextInt(fields.length)], "application/x\u0000y");
                if (random.nextBoolean()) {
                    document.putObject("annotations").put("k\u0000", "v");
                }
                return bytes(document.toString());
            }
        },
        NOT_UTF8 {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                byte[] utf8 = bytes(document.toString());
                return switch (random.nextInt(3)) {
                    case 0 -> document.toString().getBytes(StandardCharsets.UTF_16);
                    case 1 -> document.toString().getBytes(java.nio.charset.Charset.forName("UTF-32"));
                    default -> {
                        utf8[random.nextInt(utf8.length)] = (byte) (0x80 | random.nextInt(0x80));
                        yield utf8;
                    }
                };
            }
        },
        TRUNCATED_OR_TRAILING {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                String text = document.toString();
                String[] tails = {" {}", "}", "]", "x", "\u0000", " null", ",{\"schemaVersion\":2}"};
                return bytes(random.nextBoolean() ? text.substring(0, random.nextInt(text.length()))
                        : text + tails[random.nextInt(tails.length)]);
            }
        },
        RANDOM_BYTE_FLIPS {
            @Override
            byte[] apply(ObjectNode document, SplittableRandom random) {
                byte[] payload = bytes(document.toString());
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
                return payload;
            }
        };

        abstract byte[] apply(ObjectNode document, SplittableRandom random);

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        /** The document itself or one of the objects inside it. */
        private static ObjectNode randomObject(ObjectNode document, SplittableRandom random) {
            List<ObjectNode> objects = new ArrayList<>();
            collect(document, objects);
            return objects.get(random.nextInt(objects.size()));
        }

        private static void collect(JsonNode node, List<ObjectNode> objects) {
            if (node instanceof ObjectNode object) {
                objects.add(object);
            }
            node.forEach(child -> collect(child, objects));
        }
    }
}
