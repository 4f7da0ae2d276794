package io.berth.core.protocol.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.domain.Digest;
import io.berth.core.domain.MediaTypes;
import io.berth.core.domain.ParsedManifest;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the structure of OCI image manifests and indexes and their Docker schema 2 equivalents.
 * Only what the registry must enforce is checked (the JSON shape, descriptors, references); config
 * and artifact media types are data and any value is accepted.
 */
@Singleton
public class ManifestParser {
    /** Manifests are small documents; deep nesting only serves to exhaust the parser. */
    private static final int MAX_NESTING_DEPTH = 64;

    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

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
        String artifactType = optionalText(root, "artifactType");
        Digest subject = root.hasNonNull("subject") ? descriptorDigest(root.get("subject"), "subject") : null;
        String annotations = root.hasNonNull("annotations") ? root.get("annotations").toString() : null;
        if (root.hasNonNull("annotations") && !root.get("annotations").isObject()) {
            throw invalid("annotations must be an object");
        }

        Set<Digest> blobs = new LinkedHashSet<>();
        Set<Digest> children = new LinkedHashSet<>();
        String configMediaType = null;
        Digest configDigest = null;
        if (MediaTypes.isIndex(mediaType)) {
            for (JsonNode descriptor : array(root, "manifests")) {
                children.add(descriptorDigest(descriptor, "manifests[]"));
            }
        } else {
            JsonNode config = root.get("config");
            if (config == null || !config.isObject()) {
                throw invalid("config descriptor is required");
            }
            configDigest = descriptorDigest(config, "config");
            configMediaType = requiredText(config, "mediaType", "config");
            blobs.add(configDigest);
            for (JsonNode layer : array(root, "layers")) {
                Digest layerDigest = descriptorDigest(layer, "layers[]");
                if (!MediaTypes.isExternalLayer(optionalText(layer, "mediaType"))) {
                    blobs.add(layerDigest);
                }
            }
        }
        return new ParsedManifest(mediaType, artifactType, configMediaType, configDigest, subject, annotations,
                blobs, children);
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

    private JsonNode readTree(byte[] payload) {
        try {
            JsonNode node = mapper.readTree(payload);
            if (node == null) {
                throw invalid("manifest is empty");
            }
            return node;
        } catch (IOException e) {
            throw invalid("manifest is not valid JSON");
        }
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

    private static Digest descriptorDigest(JsonNode descriptor, String where) {
        if (!descriptor.isObject()) {
            throw invalid(where + " must be a descriptor object");
        }
        requiredText(descriptor, "mediaType", where);
        JsonNode size = descriptor.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
            throw invalid(where + ".size must be a non-negative integer");
        }
        String digest = requiredText(descriptor, "digest", where);
        try {
            return Digest.parse(digest);
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
