package io.berth.core.protocol.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.domain.Digest;
import io.berth.core.domain.MediaTypes;
import io.berth.core.domain.ParsedManifest;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.ClientText;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the structure of OCI image manifests and indexes and their Docker schema 2 equivalents.
 * Only what the registry must enforce is checked (the JSON shape, descriptors, references); config
 * and artifact media types are data and any value is accepted.
 *
 * <p>A document must mean one thing to every reader (CVE-2021-41190): it is UTF-8 JSON with one
 * value, no object repeats a key (readers differ on which one wins), an image manifest carries no
 * {@code manifests} and an index no {@code config} or {@code layers} (a reader guessing the type
 * from the fields would see another document), and the {@code mediaType} field agrees with the
 * Content-Type it was pushed with.
 */
@Singleton
public class ManifestParser {
    /** Manifests are small documents; deep nesting only serves to exhaust the parser. */
    private static final int MAX_NESTING_DEPTH = 64;

    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public ParsedManifest parse(String contentType, byte[] payload) {
        JsonNode root = readTree(payload);
        if (!root.isObject()) {
            throw invalid("manifest must be a JSON object");
        }
        String mediaType = resolveMediaType(contentType, root);
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.intValue() != 2) {
            throw invalid("schemaVersion must be 2");
        }
        String artifactType = storedText(optionalText(root, "artifactType"), "artifactType");
        Digest subject = root.hasNonNull("subject") ? descriptor(root.get("subject"), "subject").digest() : null;
        String annotations = annotations(root);

        Map<Digest, Long> blobs = new LinkedHashMap<>();
        Map<Digest, Long> children = new LinkedHashMap<>();
        String configMediaType = null;
        Digest configDigest = null;
        if (MediaTypes.isIndex(mediaType)) {
            refuseField(root, "config", "an index");
            refuseField(root, "layers", "an index");
            for (JsonNode node : array(root, "manifests")) {
                add(children, descriptor(node, "manifests[]"));
            }
        } else {
            refuseField(root, "manifests", "an image manifest");
            JsonNode config = root.get("config");
            if (config == null || !config.isObject()) {
                throw invalid("config descriptor is required");
            }
            Descriptor configDescriptor = descriptor(config, "config");
            configDigest = configDescriptor.digest();
            configMediaType = storedText(configDescriptor.mediaType(), "config.mediaType");
            add(blobs, configDescriptor);
            for (JsonNode node : array(root, "layers")) {
                Descriptor layer = descriptor(node, "layers[]");
                if (!MediaTypes.isExternalLayer(layer.mediaType())) {
                    add(blobs, layer);
                }
            }
        }
        return new ParsedManifest(mediaType, artifactType, configMediaType, configDigest, subject, annotations,
                blobs, children);
    }

    private record Descriptor(String mediaType, Digest digest, long size) {
    }

    /** One size per referenced digest: two descriptors of the same content cannot disagree on its length. */
    private static void add(Map<Digest, Long> references, Descriptor descriptor) {
        Long known = references.putIfAbsent(descriptor.digest(), descriptor.size());
        if (known != null && known != descriptor.size()) {
            throw invalid("descriptors of " + descriptor.digest() + " give sizes " + known + " and " + descriptor.size());
        }
    }

    /**
     * The media type is the request's Content-Type; a {@code mediaType} field in the payload must agree
     * with it. Without a Content-Type the payload's field decides.
     */
    private static String resolveMediaType(String contentType, JsonNode root) {
        String declared = optionalText(root, "mediaType");
        String header = contentType == null ? null : stripParameters(contentType);
        String mediaType = header == null || header.isEmpty() ? declared : header;
        if (mediaType == null) {
            throw invalid("manifest media type unknown: send a Content-Type");
        }
        if (!MediaTypes.isManifest(mediaType)) {
            throw invalid("unsupported manifest media type: " + abbreviate(mediaType));
        }
        if (declared != null && !declared.equals(mediaType)) {
            throw invalid("mediaType field " + abbreviate(declared) + " does not match Content-Type " + abbreviate(mediaType));
        }
        return mediaType;
    }

    /**
     * Decoded as strict UTF-8 first: JSON exchanged between systems is UTF-8, and Jackson on its own
     * would also read UTF-16 and UTF-32, or replace malformed bytes, where another reader refuses.
     */
    private JsonNode readTree(byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("manifest is not UTF-8");
        }
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw invalid("manifest is empty");
            }
            return node;
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON, or repeats a key");
        }
    }

    private static void refuseField(JsonNode root, String field, String kind) {
        if (root.has(field)) {
            throw invalid(kind + " must not carry " + field + ": its type would be ambiguous");
        }
    }

    /** The root annotations, kept as JSON for the referrers API: a map of strings. */
    private static String annotations(JsonNode root) {
        JsonNode annotations = root.get("annotations");
        if (annotations == null || annotations.isNull()) {
            return null;
        }
        if (!annotations.isObject()) {
            throw invalid("annotations must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : annotations.properties()) {
            if (!entry.getValue().isTextual()) {
                throw invalid("annotation " + abbreviate(entry.getKey()) + " must be a string");
            }
            storedText(entry.getKey(), "annotations");
            storedText(entry.getValue().textValue(), "annotations");
        }
        return annotations.toString();
    }

    private static Iterable<JsonNode> array(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw invalid(field + " must be an array");
        }
        return node;
    }

    private static Descriptor descriptor(JsonNode descriptor, String where) {
        if (!descriptor.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        String mediaType = requiredText(descriptor, "mediaType", where);
        JsonNode size = descriptor.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        String digest = requiredText(descriptor, "digest", where);
        try {
            return new Descriptor(mediaType, Digest.parse(digest), size.longValue());
        } catch (RegistryException e) {
            throw invalid(where + ".digest is not a valid digest");
        }
    }

    private static String requiredText(JsonNode node, String field, String where) {
        String value = optionalText(node, field);
        if (value == null) {
            throw invalid(where + "." + field + " is required");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return value.textValue();
    }

    /** Text kept in the metadata database beside the payload, which cannot hold U+0000. */
    private static String storedText(String value, String where) {
        if (!ClientText.storable(value)) {
            throw invalid(where + " must not contain U+0000");
        }
        return value;
    }

    private static String stripParameters(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }

    private static String abbreviate(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }

    private static RegistryException invalid(String detail) {
        return new RegistryException(OciErrorCode.MANIFEST_INVALID, detail);
    }
}
