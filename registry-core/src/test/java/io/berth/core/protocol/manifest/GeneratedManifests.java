package io.berth.core.protocol.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.core.domain.MediaTypes;
import io.berth.core.generated.Gen;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Generated manifests and indexes, and the ways a hostile or broken client mangles them: shared by
 * the parser's property tests and the HTTP tests that push generated manifests.
 */
public final class GeneratedManifests {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    public static final List<String> MANIFEST_TYPES = List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

    private GeneratedManifests() {
    }

    /**
     * Text as clients write it in types and annotations, beyond ASCII; without U+0000 (tested on its
     * own) and as UTF-8 can carry it (an unpaired surrogate would be written as '?', making keys collide).
     */
    public static final Gen<String> TEXT = Gen.anyString(40)
            .map(text -> new String(text.replace('\u0000', '0').getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    private static final Gen<String> DIGESTS = Gen.oneOf(Gen.string("0123456789abcdef", 64, 64).map(hex -> "sha256:" + hex),
            Gen.string("0123456789abcdef", 128, 128).map(hex -> "sha512:" + hex));
    private static final Gen<Long> SIZES = Gen.oneOf(Gen.longBetween(0, 10_000), Gen.longBetween(0, Long.MAX_VALUE - 1));
    private static final Gen<String> LAYER_TYPES = Gen.oneOf(Gen.of("application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", MediaTypes.OCI_EMPTY), TEXT);
    /** Descriptors of content nobody pushed: random digests and sizes. */
    public static final Gen<ObjectNode> ANY_CONFIG = descriptor(TEXT, DIGESTS, SIZES);
    public static final Gen<ObjectNode> ANY_LAYER = descriptor(LAYER_TYPES, DIGESTS, SIZES);
    public static final Gen<ObjectNode> ANY_CHILD = descriptor(Gen.of(MANIFEST_TYPES.toArray(String[]::new)), DIGESTS, SIZES);

    /** Valid documents over random descriptors: one size per referenced digest (two are refused). */
    public static final Gen<ObjectNode> DOCUMENTS = documents(ANY_CONFIG, ANY_LAYER, ANY_CHILD);

    /**
     * The Content-Type a document is pushed with: mostly {@link #AS_DECLARED} (its own mediaType), else
     * another manifest type, none (empty), or something that is no manifest type.
     */
    public static final String AS_DECLARED = "as declared";
    public static final Gen<String> CONTENT_TYPES = Gen.weighted(
            8, Gen.constant(AS_DECLARED),
            2, Gen.of(MANIFEST_TYPES.toArray(String[]::new)),
            1, Gen.of("", "application/json", MediaTypes.OCI_MANIFEST + "; charset=utf-8",
                    "application/vnd.docker.distribution.manifest.v1+prettyjws"));

    /**
     * Valid image manifests and indexes whose config, layers and index children are drawn from the
     * given descriptors (a test holding pushed content passes descriptors of it).
     */
    public static Gen<ObjectNode> documents(Gen<ObjectNode> configs, Gen<ObjectNode> layers, Gen<ObjectNode> children) {
        Gen<ObjectNode> images = random -> {
            ObjectNode document = JSON.objectNode().put("schemaVersion", 2)
                    .put("mediaType", Gen.of(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST).next(random));
            ObjectNode config = configs.next(random);
            document.set("config", config);
            ArrayNode layerArray = document.putArray("layers");
            layers.list(0, 6).next(random).forEach(layerArray::add);
            if (random.nextBoolean()) {
                // Artifacts reuse one descriptor (the empty JSON) as config and layer.
                layerArray.add(config.deepCopy());
            }
            optional(TEXT).next(random).ifPresent(text -> document.put("artifactType", text));
            optional(children).next(random).ifPresent(subject -> document.set("subject", subject));
            optional(annotations()).next(random).ifPresent(map -> document.set("annotations", map));
            return document;
        };
        Gen<ObjectNode> indexes = random -> {
            ObjectNode document = JSON.objectNode().put("schemaVersion", 2)
                    .put("mediaType", Gen.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST).next(random));
            ArrayNode manifests = document.putArray("manifests");
            children.list(0, 6).next(random).forEach(manifests::add);
            optional(TEXT).next(random).ifPresent(text -> document.put("artifactType", text));
            optional(annotations()).next(random).ifPresent(map -> document.set("annotations", map));
            return document;
        };
        return Gen.<ObjectNode>oneOf(images, indexes).map(GeneratedManifests::oneSizePerDigest);
    }

    /** Descriptors of the given media types, digests and sizes, sometimes with fields the registry ignores. */
    public static Gen<ObjectNode> descriptor(Gen<String> mediaTypes, Gen<String> digests, Gen<Long> sizes) {
        return random -> {
            ObjectNode descriptor = JSON.objectNode().put("mediaType", mediaTypes.next(random)).put("digest", digests.next(random))
                    .put("size", sizes.next(random));
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
    static ObjectNode oneSizePerDigest(ObjectNode document) {
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
    public enum Mutation {
        NONE {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                return bytes(document.toString());
            }
        },
        REMOVE_FIELD {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                ObjectNode target = randomObject(document, random);
                List<String> names = fieldNames(target);
                if (!names.isEmpty()) {
                    target.remove(names.get(random.nextInt(names.size())));
                }
                return bytes(document.toString());
            }
        },
        WRONG_TYPE {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                ObjectNode target = randomObject(document, random);
                List<String> names = fieldNames(target);
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
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                String[] fields = {"manifests", "layers", "config"};
                String field = fields[random.nextInt(fields.length)];
                document.set(field, random.nextBoolean() ? JSON.arrayNode() : JSON.objectNode());
                return bytes(document.toString());
            }
        },
        DUPLICATE_KEY {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
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
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                int depth = 10 + random.nextInt(300);
                String nested = "[".repeat(depth) + "]".repeat(depth);
                String text = document.toString();
                return bytes(text.substring(0, text.length() - 1) + ",\"nested\":" + nested + "}");
            }
        },
        HUGE_NUMBER {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                String[] numbers = {"1" + "0".repeat(400), "1e999999", "-0", "0.0000", "2.0", "18446744073709551616", "9".repeat(2000)};
                String text = document.toString().replaceFirst("\"size\":\\d+", "\"size\":" + numbers[random.nextInt(numbers.length)]);
                return bytes(text.replaceFirst("\"schemaVersion\":2", random.nextBoolean() ? "\"schemaVersion\":2" : "\"schemaVersion\":2.0"));
            }
        },
        NEGATIVE_SIZE {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                return bytes(document.toString().replaceFirst("\"size\":\\d+", "\"size\":-" + (1 + random.nextInt(1000))));
            }
        },
        BAD_DIGEST {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                String[] digests = {"sha256:", "sha256:" + "a".repeat(63), "sha256:" + "A".repeat(64), "md5:d41d8cd98f00b204e9800998ecf8427e",
                        "sha256:" + "a".repeat(64) + "/..", "../../" + "a".repeat(64), "sha512:" + "a".repeat(64), "sha256 :" + "a".repeat(64)};
                return bytes(document.toString().replaceFirst("\"digest\":\"[^\"]*\"",
                        "\"digest\":\"" + digests[random.nextInt(digests.length)] + "\""));
            }
        },
        NUL_CHARACTER {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
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
            public byte[] apply(ObjectNode document, SplittableRandom random) {
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
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                String text = document.toString();
                String[] tails = {" {}", "}", "]", "x", "\u0000", " null", ",{\"schemaVersion\":2}"};
                return bytes(random.nextBoolean() ? text.substring(0, random.nextInt(text.length()))
                        : text + tails[random.nextInt(tails.length)]);
            }
        },
        RANDOM_BYTE_FLIPS {
            @Override
            public byte[] apply(ObjectNode document, SplittableRandom random) {
                byte[] payload = bytes(document.toString());
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
                return payload;
            }
        };

        public abstract byte[] apply(ObjectNode document, SplittableRandom random);

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        private static List<String> fieldNames(ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            return names;
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
