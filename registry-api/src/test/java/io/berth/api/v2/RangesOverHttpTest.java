package io.berth.api.v2;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.RawHttp;
import io.berth.api.testing.Registry;
import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated {@code Range} headers on blob downloads and generated chunk sequences with
 * {@code Content-Range} on uploads, over HTTP: every answer is the one the model of
 * {@link RangeHeadersTest} gives, with the right bytes, and never a 5xx.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class RangesOverHttpTest {
    private static final long[] SIZES = {0, 1, 2, 777, 2500, 70_000};

    @Test
    void generatedRangeHeadersAnswerTheRightBytesOr416() {
        String repo = Content.uniqueRepository("ranges");
        List<byte[]> blobs = new ArrayList<>();
        for (long size : SIZES) {
            blobs.add(Content.random((int) size));
            Registry.pushBlob(repo, blobs.get(blobs.size() - 1));
        }
        Gen<RangeHeadersTest.RangeHeader> headers = random -> {
            RangeHeadersTest.RangeHeader header = RangeHeadersTest.RANGE_HEADERS.next(random);
            long size = SIZES[random.nextInt(SIZES.length)];
            return new RangeHeadersTest.RangeHeader(header.unit(), header.first(), header.dash(), header.last(), header.more(), size);
        };
        GeneratedInputs.check(400, Duration.ofSeconds(60), headers, header -> {
            byte[] blob = blobs.get(indexOf(header.size()));
            RawHttp.Response response = RawHttp.send("GET", "/v2/" + repo + "/blobs/" + Content.sha256(blob),
                    Map.of("Range", header.text()), null);
            String what = header.text() + " on " + header.size() + " bytes: " + response;
            ByteRange expected = RangeHeadersTest.expected(header);
            if (expected == null) {
                assertEquals(200, response.status(), what);
                assertNull(response.header("Content-Range"), what);
                assertArrayEquals(blob, response.body(), what);
            } else if (expected == ByteRange.UNSATISFIABLE) {
                assertEquals(416, response.status(), what);
                assertEquals("RANGE_INVALID", response.errorCode(), what);
                assertEquals("bytes */" + header.size(), response.header("Content-Range"), what);
            } else {
                assertEquals(206, response.status(), what);
                assertEquals(expected.contentRange(header.size()), response.header("Content-Range"), what);
                assertArrayEquals(Arrays.copyOfRange(blob, (int) expected.offset(), (int) (expected.offset() + expected.length())),
                        response.body(), what);
            }
        });
    }

    /** One PATCH of a sequence: how many bytes it carries and how its Content-Range is written. */
    record Chunk(int length, Kind kind, RangeHeadersTest.ChunkRange malformed) {
        enum Kind { IN_ORDER, NONE, WRONG_START, WRONG_END, MALFORMED }

        /** The header for a chunk meant to start at {@code received}; null to send none. */
        String header(long received) {
            long end = received + length - 1;
            return switch (kind) {
                case IN_ORDER -> received + "-" + end;
                case NONE -> null;
                case WRONG_START -> (received == 0 ? 1 : received - 1) + "-" + (end + (received == 0 ? 1 : -1));
                case WRONG_END -> received + "-" + (end + 1);
                case MALFORMED -> malformed.text();
            };
        }

        /** Whether the registry takes the chunk, as the model of Content-Range says. */
        boolean accepted(long received) {
            return switch (kind) {
                case IN_ORDER, NONE -> true;
                case WRONG_START, WRONG_END -> false;
                case MALFORMED -> {
                    ContentRange range = RangeHeadersTest.expected(malformed);
                    yield range != null && range.start() == received && range.length() == length;
                }
            };
        }
    }

    @Test
    void generatedChunkSequencesKeepExactlyTheAcceptedBytes() {
        String repo = Content.uniqueRepository("chunks");
        Gen<Chunk> chunks = random -> new Chunk(1 + random.nextInt(20_000),
                Gen.<Chunk.Kind>weighted(4, Gen.constant(Chunk.Kind.IN_ORDER), 2, Gen.constant(Chunk.Kind.NONE),
                        1, Gen.constant(Chunk.Kind.WRONG_START), 1, Gen.constant(Chunk.Kind.WRONG_END),
                        1, Gen.constant(Chunk.Kind.MALFORMED)).next(random),
                RangeHeadersTest.CHUNK_RANGES.next(random));
        GeneratedInputs.check(40, Duration.ofSeconds(60), chunks.list(0, 8), sequence -> {
            String location = given().when().post("/v2/" + repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
            java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
            for (Chunk chunk : sequence) {
                byte[] body = Content.random(chunk.length());
                long received = kept.size();
                String header = chunk.header(received);
                RawHttp.Response response = RawHttp.send("PATCH", location,
                        header == null ? Map.of("Content-Type", "application/octet-stream")
                                : Map.of("Content-Type", "application/octet-stream", "Content-Range", header), body);
                String what = "chunk of " + chunk.length() + " at " + received + " with Content-Range " + header + ": " + response;
                if (chunk.accepted(received)) {
                    assertEquals(202, response.status(), what);
                    kept.writeBytes(body);
                } else {
                    assertEquals(416, response.status(), what);
                    assertEquals("RANGE_INVALID", response.errorCode(), what);
                }
                assertEquals("0-" + Math.max(kept.size() - 1, 0), response.header("Range"), what);
            }
            byte[] blob = kept.toByteArray();
            String digest = Content.sha256(blob);
            RawHttp.Response put = RawHttp.send("PUT", location + "?digest=" + digest, Map.of(), null);
            assertEquals(201, put.status(), put::toString);
            assertArrayEquals(blob, given().when().get("/v2/" + repo + "/blobs/" + digest).then().statusCode(200)
                    .extract().asByteArray());
        });
    }

    private static int indexOf(long size) {
        for (int i = 0; i < SIZES.length; i++) {
            if (SIZES[i] == size) {
                return i;
            }
        }
        throw new IllegalArgumentException("no blob of " + size + " bytes");
    }
}
