package io.berth.core.generated;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of test inputs: given a source of randomness, one value. Generators compose (one of
 * several, weighted, mapped, joined into lists and strings), so a test states the shape of what it
 * sends and {@link GeneratedInputs} draws thousands of them from a seed that reproduces the run.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapping) {
        return random -> mapping.apply(next(random));
    }

    /** Values of this generator that {@code accepted} admits (drawn again until one is, a bounded number of times). */
    default Gen<T> filter(Predicate<? super T> accepted) {
        return random -> {
            for (int attempt = 0; attempt < 10_000; attempt++) {
                T value = next(random);
                if (accepted.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("the filter refuses nearly every value of its generator");
        };
    }

    /** This generator's values, or null about {@code percent} times in a hundred. */
    default Gen<T> orNull(int percent) {
        return random -> random.nextInt(100) < percent ? null : next(random);
    }

    /** A value of each generator, joined by {@code join}. */
    static <A, B, R> Gen<R> zip(Gen<A> first, Gen<B> second, BiFunction<? super A, ? super B, ? extends R> join) {
        return random -> join.apply(first.next(random), second.next(random));
    }

    /** A list of {@code min} to {@code max} values of this generator. */
    default Gen<List<T>> list(int min, int max) {
        return random -> {
            int size = min + random.nextInt(max - min + 1);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return random -> values[random.nextInt(values.length)];
    }

    /** Each generator equally often. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        return random -> generators[random.nextInt(generators.length)].next(random);
    }

    /** Generators chosen by weight: {@code weighted(3, common, 1, rare)}. */
    @SuppressWarnings("unchecked")
    static <T> Gen<T> weighted(Object... weightsAndGenerators) {
        int total = 0;
        for (int i = 0; i < weightsAndGenerators.length; i += 2) {
            total += (Integer) weightsAndGenerators[i];
        }
        int sum = total;
        return random -> {
            int pick = random.nextInt(sum);
            for (int i = 0; i < weightsAndGenerators.length; i += 2) {
                pick -= (Integer) weightsAndGenerators[i];
                if (pick < 0) {
                    return ((Gen<? extends T>) weightsAndGenerators[i + 1]).next(random);
                }
            }
            throw new IllegalStateException("weights exhausted");
        };
    }

    static Gen<Integer> intBetween(int min, int max) {
        return random -> min + random.nextInt(max - min + 1);
    }

    static Gen<Long> longBetween(long min, long max) {
        return random -> max == Long.MAX_VALUE && min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min, max + 1);
    }

    /** Strings of {@code min} to {@code max} characters, each one of {@code alphabet}. */
    static Gen<String> string(String alphabet, int min, int max) {
        return random -> {
            int length = min + random.nextInt(max - min + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        };
    }

    /**
     * Strings of up to {@code max} code points from anywhere: ASCII, control characters (NUL
     * included), Latin-1, other planes and unpaired surrogates, which is what hostile input looks like.
     */
    static Gen<String> anyString(int max) {
        return random -> {
            int length = random.nextInt(max + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(10);
                if (kind < 5) {
                    text.append((char) (0x20 + random.nextInt(0x5f)));
                } else if (kind < 7) {
                    text.append((char) random.nextInt(0x20));
                } else if (kind < 8) {
                    text.append((char) (0x80 + random.nextInt(0x780)));
                } else if (kind < 9) {
                    text.appendCodePoint(0x10000 + random.nextInt(0x1000));
                } else {
                    text.append((char) (0xd800 + random.nextInt(0x800)));
                }
            }
            return text.toString();
        };
    }

    /** Arbitrary bytes, up to {@code max} of them. */
    static Gen<byte[]> bytes(int max) {
        return random -> {
            byte[] bytes = new byte[random.nextInt(max + 1)];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    /** The UTF-8 bytes of a generated string. */
    static Gen<byte[]> utf8(Gen<String> text) {
        return text.map(value -> value.getBytes(StandardCharsets.UTF_8));
    }
}
