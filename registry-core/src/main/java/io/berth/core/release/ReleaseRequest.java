package io.berth.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.ClientText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A release as created: {@code version_name}, {@code desc}, {@code labels} and {@code items}, read
 * from the request body field by field so that every mistake is a 400 naming the field
 * ({@code items[2].images[0].target}). Items are images ({@code {"source", "target"}}) or Helm charts
 * ({@code {"type": "helm_chart", "source", "target", "images": [...]}}), flattened in request order,
 * each chart followed by the images it names.
 */
public record ReleaseRequest(String versionName, String description, List<String> labels, List<ReleaseItemSpec> items) {
    public static final int MAX_ITEMS = 1000;
    private static final int MAX_NAME = 128;
    private static final int MAX_DESCRIPTION = 4096;
    private static final int MAX_LABELS = 50;
    private static final int MAX_LABEL = 128;

    public static ReleaseRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ManagementException.badRequest("the request body must be a JSON object with version_name and items");
        }
        String versionName = text(body.get("version_name"), "version_name", MAX_NAME, true);
        if (versionName.isBlank()) {
            throw ManagementException.badRequest("version_name must not be blank");
        }
        String description = text(body.get("desc"), "desc", MAX_DESCRIPTION, false);
        List<String> labels = labels(body.get("labels"));
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw ManagementException.badRequest("items must be a non-empty array of {source, target} objects");
        }
        List<ReleaseItemSpec> specs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            item(items.get(i), "items[" + i + "]", null, specs);
        }
        Set<String> targets = new LinkedHashSet<>();
        for (ReleaseItemSpec spec : specs) {
            if (!targets.add(spec.target().toString())) {
                throw ManagementException.badRequest("items name the target " + spec.target() + " more than once");
            }
        }
        return new ReleaseRequest(versionName, description == null ? "" : description, labels, List.copyOf(specs));
    }

    private static void item(JsonNode node, String field, Integer chart, List<ReleaseItemSpec> specs) {
        if (node == null || !node.isObject()) {
            throw ManagementException.badRequest(field + " must be an object with source and target");
        }
        String type = text(node.get("type"), field + ".type", 32, false);
        ReleaseItemKind kind;
        if (type == null || type.equals("image")) {
            kind = ReleaseItemKind.IMAGE;
        } else if (type.equals("helm_chart") && chart == null) {
            kind = ReleaseItemKind.HELM_CHART;
        } else {
            throw ManagementException.badRequest(field + ".type must be " + (chart == null ? "image or helm_chart" : "image"));
        }
        JsonNode images = node.get("images");
        if (images != null && !images.isNull() && kind != ReleaseItemKind.HELM_CHART) {
            throw ManagementException.badRequest(field + ".images belongs to an item of type helm_chart");
        }
        if (specs.size() >= MAX_ITEMS) {
            throw ManagementException.badRequest("a release holds at most " + MAX_ITEMS + " items, chart images included");
        }
        ImageReference source = ImageReference.parse(text(node.get("source"), field + ".source", 512, true), field + ".source");
        ImageReference target = ImageReference.parseTagged(text(node.get("target"), field + ".target", 512, true), field + ".target");
        int position = specs.size();
        specs.add(new ReleaseItemSpec(position, chart, kind, source, target, field));
        if (kind == ReleaseItemKind.HELM_CHART && images != null && !images.isNull()) {
            if (!images.isArray()) {
                throw ManagementException.badRequest(field + ".images must be an array of {source, target} objects");
            }
            for (int i = 0; i < images.size(); i++) {
                item(images.get(i), field + ".images[" + i + "]", position, specs);
            }
        }
    }

    private static List<String> labels(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_LABELS) {
            throw ManagementException.badRequest("labels must be an array of at most " + MAX_LABELS + " strings");
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            labels.add(text(node.get(i), "labels[" + i + "]", MAX_LABEL, true));
        }
        return List.copyOf(labels);
    }

    /** The field's text (null when absent and optional); 400 naming it when it is missing, not a string or too long. */
    private static String text(JsonNode node, String field, int maxLength, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw ManagementException.badRequest(field + " is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ManagementException.badRequest(field + " must be a string");
        }
        String text = node.textValue();
        if (text.length() > maxLength) {
            throw ManagementException.badRequest(field + " must be at most " + maxLength + " characters");
        }
        if (!ClientText.storable(text)) {
            throw ManagementException.badRequest(field + " must not contain U+0000");
        }
        if (required && text.isEmpty()) {
            throw ManagementException.badRequest(field + " must not be empty");
        }
        return text;
    }
}
