package io.berth.api.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Tuple;

/**
 * Generated request input for the management API: JSON values of every kind, bodies that are valid
 * for an operation and mutations of them (a field dropped, given another kind of value, a huge or
 * strange string, deep nesting, an unknown field), bodies that are not JSON at all, Content-Types,
 * and query and path values. Drawn from jqwik arbitraries with a fixed {@link Random}, so a failure
 * is reproduced by its seed.
 */
public final class GeneratedInput {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands for a value written as arrays nested far deeper than any reader allows. */
    private static final String RAW = "\u0001raw\u0001";
    private static final String DEEP = "[".repeat(3000) + "]".repeat(3000);
    private static final int MAX_URL_VALUE = 400;

    private final Random random;

    public GeneratedInput(long seed) {
        this.random = new Random(seed);
    }

    /** The next value of {@code arbitrary}, edge cases included. */
    public <T> T next(Arbitrary<T> arbitrary) {
        RandomGenerator<T> generator = arbitrary.generatorWithEmbeddedEdgeCases(1000);
        return generator.next(random).value();
    }

    /** Strings a field may be given: words, nothing, blanks, every kind of character (NUL, controls, lone surrogates), long ones. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("-._/ ").ofMaxLength(40)),
                Tuple.of(12, Arbitraries.strings().all().ofMaxLength(24)),
                Tuple.of(8, Arbitraries.of("", " ", "\u0000", "a\u0000b", "\uD800", "\uDFFF", "\u202Ename", "\uFEFF", "\uD83D\uDCA5",
                        "null", "true", "0", "-1", "../..", "%00", "a/b", "a+b", "{}", "[]", "\\", "\"")),
                Tuple.of(3, Arbitraries.integers().between(250, 70_000).map("y"::repeat)),
                Tuple.of(1, Arbitraries.just("z".repeat(300_000))));
    }

    /** Any JSON value: strings, numbers far beyond any range, booleans, null, and small arrays and objects of them. */
    public static Arbitrary<Object> values() {
        Arbitrary<Object> scalars = Arbitraries.frequencyOf(
                Tuple.of(3, strings().map(Object.class::cast)),
                Tuple.of(2, Arbitraries.longs().map(Object.class::cast)),
                Tuple.of(1, Arbitraries.of(new BigInteger("9".repeat(40)), new BigInteger("-" + "9".repeat(40)), 1.5, -0.0, 1e308)
                        .map(Object.class::cast)),
                Tuple.of(1, Arbitraries.of(true, false).map(Object.class::cast)),
                Tuple.of(1, Arbitraries.just((Object) null)));
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalars),
                Tuple.of(1, scalars.list().ofMaxSize(4).map(Object.class::cast)),
                Tuple.of(1, Combinators.combine(strings(), scalars).as((key, value) -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    object.put(key, value);
                    return (Object) object;
                })),
                Tuple.of(1, Arbitraries.just(RAW)));
    }

    /**
     * Bodies for an operation whose valid bodies {@code valid} generates: some valid, most mutated,
     * some not JSON at all.
     */
    public static Arbitrary<byte[]> bodies(Arbitrary<Map<String, Object>> valid) {
        Arbitrary<Integer> field = Arbitraries.integers().between(0, 99);
        Arbitrary<Function<Map<String, Object>, byte[]>> mutation = Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(field, values()).as((index, value) -> body -> write(replaced(body, index, value)))),
                Tuple.of(2, field.map(index -> body -> write(dropped(body, index)))),
                Tuple.of(1, field.map(index -> body -> write(replaced(body, index, null)))),
                Tuple.of(1, field.map(index -> body -> write(replaced(body, index, RAW)))),
                Tuple.of(1, values().map(value -> body -> write(added(body, value)))),
                Tuple.of(1, field.map(cut -> body -> truncated(write(body), cut))));
        return Arbitraries.frequencyOf(
                Tuple.of(3, valid.map(GeneratedInput::write)),
                Tuple.of(6, Combinators.combine(valid, mutation).as((body, mutate) -> mutate.apply(body))),
                Tuple.of(1, notJson()));
    }

    /** What is no JSON object at all: nothing, other JSON values, text, bytes that are not UTF-8, deep nesting. */
    public static Arbitrary<byte[]> notJson() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of("", "null", "1", "\"text\"", "[]", "[{}]", "{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}",
                        "{\"a\" 1}", "name=x&y=z", "<xml/>", "\u0000", "{\"a\":\"\\ud800\"}", DEEP, "{\"a\":" + DEEP + "}")
                        .map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, strings().map(text -> text.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
    }

    /** Content-Types a client may send with a body; mostly JSON, sometimes another one or none (null). */
    public static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.just("application/json; charset=UTF-8")),
                Tuple.of(1, Arbitraries.of("text/plain", "application/x-www-form-urlencoded", "application/octet-stream",
                        "application/xml", "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", "*/*", ";;")),
                Tuple.of(1, Arbitraries.just((String) null)));
    }

    /** A value for a numeric query parameter: in range, out of it, not a number, or nothing. */
    public static Arbitrary<String> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(-5, 1200).map(String::valueOf)),
                Tuple.of(1, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("", "1e3", "0x10", "+5", " 5", "5 ", "\u0663", "9".repeat(30), "-0", "1.5", "NaN")),
                Tuple.of(1, strings()));
    }

    /** One of {@code words} (a parameter's legal values), or anything else. */
    public static Arbitrary<String> wordsOr(String... words) {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(words)), Tuple.of(1, strings()));
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
    public static Arbitrary<String> inUrl(Arbitrary<String> values, boolean slashes) {
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
