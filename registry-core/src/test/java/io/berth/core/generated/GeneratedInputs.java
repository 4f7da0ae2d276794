package io.berth.core.generated;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs a check against many generated inputs. Each run draws from a fresh seed (printed when a check
 * fails, and fixed with {@code -Dberth.generated.seed=<seed>} to replay it), so successive builds
 * cover new inputs while a failure stays reproducible. Runs are bounded in count and in time.
 */
public final class GeneratedInputs {
    public static final String SEED_PROPERTY = "berth.generated.seed";

    private GeneratedInputs() {
    }

    /** Checks {@code count} inputs, or as many as fit in {@code limit}. */
    public static <T> int check(int count, Duration limit, Gen<T> generator, Consumer<T> check) {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        long deadline = System.nanoTime() + limit.toNanos();
        int done = 0;
        while (done < count && System.nanoTime() < deadline) {
            T input = generator.next(random);
            try {
                check.accept(input);
            } catch (AssertionError | RuntimeException failure) {
                throw new AssertionError("input " + (done + 1) + " of seed " + seed + " (replay with -D" + SEED_PROPERTY + "="
                        + seed + "): " + describe(input) + "\n" + failure.getMessage(), failure);
            }
            done++;
        }
        if (done == 0) {
            throw new AssertionError("no input was checked within " + limit);
        }
        return done;
    }

    /** Checks {@code count} inputs within a minute. */
    public static <T> int check(int count, Gen<T> generator, Consumer<T> check) {
        return check(count, Duration.ofMinutes(1), generator, check);
    }

    private static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        return fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : new SplittableRandom().nextLong();
    }

    /** The input as a reader can see it: strings escaped, byte arrays shown as text and shortened. */
    static String describe(Object input) {
        String text = switch (input) {
            case null -> "null";
            case byte[] bytes -> "bytes[" + bytes.length + "] " + escape(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            case Object[] array -> Arrays.deepToString(array);
            case CharSequence chars -> '"' + escape(chars.toString()) + '"';
            default -> input.toString();
        };
        return text.length() > 2000 ? text.substring(0, 2000) + "... (" + text.length() + " characters)" : text;
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) {
                escaped.append(String.format("\\u%04x", cp));
            } else {
                escaped.appendCodePoint(cp);
            }
        });
        return escaped.toString();
    }
}
