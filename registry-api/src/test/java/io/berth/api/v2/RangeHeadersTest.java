package io.berth.api.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import java.math.BigInteger;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The blob {@code Range} and upload {@code Content-Range} parsers against generated headers, each
 * built from parts whose meaning a small model states directly (which unit, which positions, what
 * trails them), so the model does not repeat the parser's own steps.
 */
class RangeHeadersTest {

    /** A Range header as parts, and the blob size it is resolved against. */
    record RangeHeader(String unit, String first, boolean dash, String last, String more, long size) {
        String text() {
            return unit + first + (dash ? "-" + last : "") + more;
        }
    }

    /** A Content-Range header as parts. */
    record ChunkRange(String prefix, String start, String separator, String end, String total) {
        String text() {
            return prefix + start + separator + end + total;
        }
    }

    static final Gen<String> POSITIONS = Gen.weighted(
            6, Gen.longBetween(0, 3000).map(String::valueOf),
            2, Gen.of("", "0", "00", "007"),
            1, Gen.string("0123456789", 19, 30),
            1, Gen.of("+5", "-", "a", " 7", "7 ", "1.5", "0x1", "\u0661"));
    static final Gen<RangeHeader> RANGE_HEADERS = random -> new RangeHeader(
            Gen.<String>weighted(8, Gen.constant("bytes="), 1, Gen.of("bytes =", "Bytes=", "items=", "", "bytes", "bytes= ")).next(random),
            POSITIONS.next(random), random.nextInt(12) > 0, POSITIONS.next(random),
            Gen.<String>weighted(8, Gen.constant(""), 1, Gen.of(",0-1", ", 5-", ",")).next(random),
            Gen.<Long>weighted(1, Gen.of(0L, 1L, 2L), 3, Gen.longBetween(3, 2500), 1, Gen.constant(70_000L)).next(random));

    static final Gen<String> CHUNK_POSITIONS = Gen.weighted(
            8, Gen.longBetween(0, 100_000).map(String::valueOf),
            1, Gen.of("", "+5", "x", "0x10", "1 0"),
            1, Gen.oneOf(Gen.string("0123456789", 18, 18), Gen.string("0123456789", 19, 25)));
    static final Gen<ChunkRange> CHUNK_RANGES = random -> new ChunkRange(
            Gen.<String>weighted(6, Gen.constant(""), 2, Gen.of("bytes ", "bytes=", "bytes = ", " "), 1, Gen.of("byte ", "items=", "bytes-")).next(random),
            CHUNK_POSITIONS.next(random),
            Gen.<String>weighted(8, Gen.constant("-"), 1, Gen.of(" - ", "--", "", "~", "\u2013")).next(random),
            CHUNK_POSITIONS.next(random),
            Gen.<String>weighted(6, Gen.constant(""), 2, Gen.of("/100", "/*", " / 5"), 1, Gen.of("/", "/abc", "/-1", "x")).next(random));

    @Test
    void blobRangesResolveAsTheModelSays() {
        GeneratedInputs.check(20_000, RANGE_HEADERS, header -> assertEquals(expected(header), ByteRange.parse(header.text(), header.size()),
                header::text));
    }

    @Test
    void chunkRangesParseAsTheModelSays() {
        GeneratedInputs.check(20_000, CHUNK_RANGES, header -> assertEquals(expected(header), ContentRange.parse(header.text()),
                header::text));
    }

    /**
     * What RFC 9110 has a server that serves single byte ranges answer: null for the whole blob (a
     * header it may ignore), the range, or unsatisfiable.
     */
    static ByteRange expected(RangeHeader header) {
        String first = header.first().trim();
        String last = header.last().trim();
        boolean honoured = header.unit().equals("bytes=") || header.unit().equals("bytes= ");
        if (!honoured || !header.more().isEmpty() || !header.dash() || !digitsOrEmpty(first) || !digitsOrEmpty(last)
                || (first.isEmpty() && last.isEmpty()) || header.size() == 0) {
            return null;
        }
        BigInteger size = BigInteger.valueOf(header.size());
        if (first.isEmpty()) {
            BigInteger suffix = new BigInteger(last);
            if (suffix.signum() == 0) {
                return ByteRange.UNSATISFIABLE;
            }
            long length = suffix.min(size).longValueExact();
            return new ByteRange(header.size() - length, length);
        }
        BigInteger start = new BigInteger(first);
        if (start.compareTo(size) >= 0 || (!last.isEmpty() && new BigInteger(last).compareTo(start) < 0)) {
            return ByteRange.UNSATISFIABLE;
        }
        BigInteger end = last.isEmpty() ? size.subtract(BigInteger.ONE) : new BigInteger(last).min(size.subtract(BigInteger.ONE));
        return new ByteRange(start.longValueExact(), end.subtract(start).add(BigInteger.ONE).longValueExact());
    }

    /** The chunk range the parts name, or null when the header is not one. */
    static ContentRange expected(ChunkRange header) {
        boolean valid = Set.of("", "bytes ", "bytes=", "bytes = ", " ").contains(header.prefix())
                && Set.of("-", " - ").contains(header.separator())
                && Set.of("", "/100", "/*", " / 5").contains(header.total())
                && header.start().matches("[0-9]{1,18}") && header.end().matches("[0-9]{1,18}");
        if (!valid || Long.parseLong(header.end()) < Long.parseLong(header.start())) {
            return null;
        }
        return new ContentRange(Long.parseLong(header.start()), Long.parseLong(header.end()));
    }

    private static boolean digitsOrEmpty(String text) {
        return text.matches("[0-9]*");
    }
}
