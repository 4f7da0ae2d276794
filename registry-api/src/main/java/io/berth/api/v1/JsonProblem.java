package io.berth.api.v1;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Why a JSON request body could not be read, in the caller's terms: where (the field's path, such as
 * {@code scope.registryIds[1]}, and the line and column) and what was wrong (not JSON at all, a string
 * where a number belongs, too deeply nested...). Jackson's own messages name Java types and
 * internals, so none of them is passed on as it is.
 */
final class JsonProblem {
    private JsonProblem() {
    }

    static String describe(JsonProcessingException e) {
        // Databinding wraps what the parser found (an early end, a limit passed): that is the reason.
        JsonProcessingException problem = e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException parsing
                ? parsing : e;
        return reason(problem) + where(problem.getLocation() != null ? problem : e);
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "the request body exceeds a JSON limit: " + limit(e.getOriginalMessage());
        }
        if (e instanceof InputCoercionException) {
            return "the request body holds a number out of range";
        }
        if (e instanceof JsonEOFException) {
            return "the request body is not valid JSON: it ends before the JSON is complete";
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return "the request body is not valid JSON: " + firstSentence(e.getOriginalMessage());
        }
        String field = path(mapping);
        if (e instanceof UnrecognizedPropertyException) {
            return "the request body has a field this operation does not know: " + field;
        }
        if (e instanceof InvalidFormatException invalid) {
            return "the request body's " + (field.isEmpty() ? "value" : field) + " must be " + expected(invalid.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return field.isEmpty() ? "the request body must be " + expected(mismatched.getTargetType())
                    : "the request body's " + field + " must be " + expected(mismatched.getTargetType());
        }
        return field.isEmpty() ? "the request body does not fit this operation"
                : "the request body's " + field + " does not fit this operation";
    }

    /** The field the problem is in, as a JSON path: {@code scope.registryIds[1]}; empty at the top. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What a value of {@code type} looks like in JSON. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another kind";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                || type == short.class || type == Byte.class || type == byte.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class || type == BigDecimal.class) {
            return "a number";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a time in ISO-8601 form, such as 2030-01-01T00:00:00Z";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(constant -> constant.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "a JSON value";
        }
        return type.isPrimitive() ? "of another kind" : "a JSON object";
    }

    /** Which of Jackson's read limits was passed (its message names the setting that holds it). */
    private static String limit(String message) {
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (text.contains("nesting depth")) {
            return "it is nested too deeply";
        }
        if (text.contains("string value length")) {
            return "a string is too long";
        }
        if (text.contains("number value length")) {
            return "a number has too many digits";
        }
        if (text.contains("name length")) {
            return "a field name is too long";
        }
        return "it is too large";
    }

    /**
     * The parser's message up to its first colon-separated explanation: "Unexpected character ('}'
     * (code 125)): was expecting double-quote to start field name" and the like, which name no types.
     */
    private static String firstSentence(String message) {
        if (message == null || message.isBlank()) {
            return "it cannot be parsed";
        }
        String line = message.lines().findFirst().orElse(message).trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** Where the parser was, when it knows. */
    private static String where(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
