package io.berth.api.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.generated.Gen;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Generated request input for the management API: JSON values of every kind, bodies that are valid
 * for an operation and mutations of them (a field dropped, given another kind of value, a huge or
 * strange string, deep nesting, an unknown field), bodies that are not JSON at all, Content-Types,
 * and query and path values. Drawn from {@link Gen generators} with a fixed seed, so a failure is
 * reproduced by it.
 */
public final class GeneratedInput {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands for a value written as arrays nested far deeper than any reader allows. */
    private static final String RAW = "\u0001raw\u0001";
    private static final String DEEP = "[".repeat(3000) + "]".repeat(3000);
    private static final int MAX_URL_VALUE = 400;

    private final SplittableRandom random;

    public GeneratedInput(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next value of {@code generator}. */
    public <T> T next(Gen<T> generator) {
        return generator.next(random);
    }

    /** Strings a field may be given: words, nothing, blanks, every kind of character (NUL, controls, lone surrogates), long ones. */
    public static Gen<String> strings() {
        return Gen.weighted(
                40, Gen.string("abcdefghijklmnopqrstuvwxyz0123456789-._/ ", 0, 40),
                12, Gen.anyString(24),
                8, Gen.of("", " ", "\u0000", "a\u0000b", "\uD800", "\uDFFF", "\u202Ename", "\uFEFF", "\uD83D\uDCA5",
                        "null", "true", "0", "-1", "../..", "%00", "a/b", "a+b", "{}", "[]", "\\", "\""),
                3, Gen.intBetween(250, 70_000).map("y"::repeat),
                1, Gen.constant("z".repeat(300_000)));
    }

    /** Any JSON value: strings, numbers far beyond any range, booleans, null, and small arrays and objects of them. */
    public static Gen<Object> values() {
        Gen<Object> scalars = Gen.weighted(
                3, strings().map(Object.class::cast),
                2, Gen.longBetween(Long.MIN_VALUE, Long.MAX_VALUE).map(Object.class::cast),
                1, Gen.<Object>of(new BigInteger("9".repeat(40)), new BigInteger("-" + "9".repeat(40)), 1.5, -0.0, 1e308),
                1, Gen.<Object>of(true, false),
                1, Gen.constant((Object) null));
        return Gen.weighted(
                6, scalars,
                1, scalars.list(0, 4).map(Object.class::cast),
                1, Gen.zip(strings(), scalars, (key, value) -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    object.put(key, value);
                    return (Object) object;
                }),
                1, Gen.constant((Object) RAW));
    }

    /**
     * Bodies for an operation whose valid bodies {@code valid} generates: some valid, most mutated,
     * some not JSON at all.
     */
    public static Gen<byte[]> bodies(Gen<Map<String, Object>> valid) {
        Gen<Integer> field = Gen.intBetween(0, 99);
        Gen<Function<Map<String, Object>, byte[]>> mutation = Gen.weighted(
                3, Gen.zip(field, values(), (index, value) -> (Function<Map<String, Object>, byte[]>) body -> write(replaced(body, index, value))),
                2, field.map(index -> (Function<Map<String, Object>, byte[]>) body -> write(dropped(body, index))),
                1, field.map(index -> (Function<Map<String, Object>, byte[]>) body -> write(replaced(body, index, null))),
                1, field.map(index -> (Function<Map<String, Object>, byte[]>) body -> write(replaced(body, index, RAW))),
                1, values().map(value -> (Function<Map<String, Object>, byte[]>) body -> write(added(body, value))),
                1, field.map(cut -> (Function<Map<String, Object>, byte[]>) body -> truncated(write(body), cut)));
        return Gen.weighted(
                3, valid.map(GeneratedInput::write),
                6, Gen.zip(valid, mutation, (body, mutate) -> mutate.apply(body)),
                1, notJson());
    }

    /** What is no JSON object at all: nothing, other JSON values, text, bytes that are not UTF-8, deep nesting. */
    public static Gen<byte[]> notJson() {
        return Gen.weighted(
                2, Gen.of("", "null", "1", "\"text\"", "[]", "[{}]", "{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}",
                        "{\"a\" 1}", "name=x&y=z", "<xml/>", "\u0000", "{\"a\":\"\\ud800\"}", DEEP, "{\"a\":" + DEEP + "}")
                        .map(text -> text.getBytes(StandardCharsets.UTF_8)),
                1, Gen.utf8(strings()),
                1, Gen.bytes(64));
    }

    /** Content-Types a client may send with a body; mostly JSON, sometimes another one or none (null). */
    public static Gen<String> contentTypes() {
        return Gen.weighted(
                12, Gen.constant("application/json"),
                1, Gen.constant("application/json; charset=UTF-8"),
                1, Gen.of("text/plain", "application/x-www-form-urlencoded", "application/octet-stream",
                        "application/xml", "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", "*/*", ";;"),
                1, Gen.constant((String) null));
    }

    /** A value for a numeric query parameter: in range, out of it, not a number, or nothing. */
    public static Gen<String> numbers() {
        return Gen.weighted(
                4, Gen.intBetween(-5, 1200).map(String::valueOf),
                1, Gen.longBetween(Long.MIN_VALUE, Long.MAX_VALUE).map(String::valueOf),
                1, Gen.of("", "1e3", "0x10", "+5", " 5", "5 ", "\u0663", "9".repeat(30), "-0", "1.5", "NaN"),
                1, strings());
    }

    /** One of {@code words} (a parameter's legal values), or anything else. */
    public static Gen<String> wordsOr(String... words) {
        return Gen.weighted(3, Gen.of(words), 1, strings());
    }

    /** {@code value} encoded for a query string or a path segment ({@code %20} for spaces, {@code /} kept when {@code slashes}). */
    public static String encoded(String value, boolean slashes) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return slashes ? encoded.replace("%2F", "/") : encoded;
    }

    /**
     * Values of {@code values} encoded for a URL and short enough for one: the HTTP server refuses a
     * request line beyond 4 KiB with a bare 414 before any endpoint sees it.
     */
    public static Gen<String> inUrl(Gen<String> values, boolean slashes) {
        return values.map(value -> encoded(value, slashes)).filter(encoded -> encoded.length() <= MAX_URL_VALUE);
    }

    /** An object of the given fields; a null value leaves the field out. */
    public static Map<String, Object> object(Object... fieldsAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            if (fieldsAndValues[i + 1] != null) {
                object.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
            }
        }
        return object;
    }

    /** The body as JSON; a {@link #RAW} value becomes deeply nested arrays. */
    public static byte[] write(Object body) {
        try {
            return JSON.writeValueAsString(body).replace(JSON.writeValueAsString(RAW), DEEP).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body with its {@code index}-th field (modulo their number) set to {@code value}. */
    private static Map<String, Object> replaced(Map<String, Object> body, int index, Object value) {
        if (body.isEmpty()) {
            return added(body, value);
        }
        Map<String, Object> changed = new LinkedHashMap<>(body);
        changed.put(List.copyOf(body.keySet()).get(index % body.size()), value);
        return changed;
    }

    private static Map<String, Object> added(Map<String, Object> body, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(body);
        changed.put("unexpected", value);
        return changed;
    }

    private static Map<String, Object> dropped(Map<String, Object> body, int index) {
        Map<String, Object> changed = new LinkedHashMap<>(body);
        if (!body.isEmpty()) {
            changed.remove(List.copyOf(body.keySet()).get(index % body.size()));
        }
        return changed;
    }

    /** The body cut short, by 1 to {@code cut + 1} bytes. */
    private static byte[] truncated(byte[] body, int cut) {
        return Arrays.copyOf(body, Math.max(0, body.length - 1 - cut % Math.max(1, body.length)));
    }
}
