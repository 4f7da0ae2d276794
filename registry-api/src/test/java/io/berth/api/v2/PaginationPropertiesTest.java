package io.berth.api.v2;

import static io.berth.api.testing.Registry.OCI_MANIFEST;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.RawHttp;
import io.berth.api.testing.Registry;
import io.berth.core.generated.Gen;
import io.berth.core.generated.GeneratedInputs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tag listings and the catalog against generated {@code n} and {@code last} parameters, sent exactly
 * as generated: every answer is the right page of the known entries (in byte order, after
 * {@code last} whatever it is) or a 400 with the OCI error body, never a 5xx.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class PaginationPropertiesTest {
    private static final List<String> TAGS = List.of("0", "1.0", "1.0.1", "A", "Latest", "_x", "a", "a-b", "a.b", "a_b", "latest",
            "v1", "v10", "v2", "z".repeat(128));

    /** A {@code last} value as it goes on the wire, and the text the registry decodes from it. */
    record Last(String raw, String text) {
        static Last of(String text) {
            return new Last(URLEncoder.encode(text, StandardCharsets.UTF_8), text);
        }
    }

    record Query(List<String> n, List<Last> last) {
        String queryString() {
            List<String> parameters = new ArrayList<>();
            n.forEach(value -> parameters.add("n=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
            last.forEach(value -> parameters.add("last=" + value.raw()));
            return parameters.isEmpty() ? "" : "?" + String.join("&", parameters);
        }
    }

    @Test
    void generatedPaginationAnswersTheRightPageOrA400() {
        String repo = Content.uniqueRepository("pages");
        byte[] manifest = Registry.pushImage(repo, TAGS.get(0));
        TAGS.stream().skip(1).forEach(tag -> Registry.putManifest(repo, tag, OCI_MANIFEST, manifest));
        List<String> tags = given().when().get("/v2/" + repo + "/tags/list").then().statusCode(200)
                .extract().jsonPath().getList("tags", String.class);
        assertEquals(TAGS.stream().sorted().toList(), tags);
        List<String> catalog = given().when().get("/v2/_catalog").then().statusCode(200)
                .extract().jsonPath().getList("repositories", String.class);

        GeneratedInputs.check(300, Duration.ofSeconds(60), queries(tags), query -> {
            assertPage("/v2/" + repo + "/tags/list", "tags", tags, query);
            assertPage("/v2/_catalog", "repositories", catalog, query);
        });
    }

    private static void assertPage(String path, String field, List<String> entries, Query query) {
        RawHttp.Response response = RawHttp.send("GET", path + query.queryString(), Map.of(), null);
        String what = path + query.queryString() + " -> " + response;
        String refusal = refusal(query);
        if (refusal != null) {
            assertEquals(400, response.status(), what);
            assertEquals(refusal, response.errorCode(), what);
            assertEquals("registry/2.0", response.header("Docker-Distribution-API-Version"), what);
            return;
        }
        assertEquals(200, response.status(), what);
        int limit = query.n().isEmpty() ? Pagination.DEFAULT_LIMIT : limit(query.n().get(0));
        List<String> after = entries.stream()
                .filter(entry -> query.last().isEmpty() || compareCodePoints(entry, query.last().get(0).text()) > 0)
                .toList();
        List<String> expected = after.subList(0, Math.min(limit, after.size()));
        assertEquals(expected, new JsonObject(response.text()).getJsonArray(field).getList(), what);
        assertEquals(after.size() > limit && limit > 0, response.header("Link") != null, what);
    }

    /** The error the spec's rules give the query, or null when it asks for a page. */
    private static String refusal(Query query) {
        if (query.n().size() > 1) {
            return "PAGINATION_NUMBER_INVALID";
        }
        if (query.last().size() > 1) {
            return "UNSUPPORTED";
        }
        return query.n().size() == 1 && !query.n().get(0).matches("[0-9]+") ? "PAGINATION_NUMBER_INVALID" : null;
    }

    private static int limit(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > 9 ? Pagination.MAX_LIMIT : Math.min(Integer.parseInt(significant), Pagination.MAX_LIMIT);
    }

    /** Byte order of UTF-8, which is code point order (PostgreSQL's "C" collation). */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static Gen<Query> queries(List<String> tags) {
        Gen<String> n = Gen.oneOf(
                Gen.intBetween(0, 20).map(String::valueOf),
                Gen.string("0123456789", 1, 25),
                Gen.of("-1", "abc", "", "1.5", "+3", " 3", "0x10", "1e3", "\uff13", "00002", "99999999999999", "2147483648"),
                Gen.anyString(6));
        Gen<String> tag = Gen.of(tags.toArray(String[]::new));
        Gen<Last> last = Gen.oneOf(
                tag.map(Last::of),
                tag.map(name -> name.substring(0, name.length() / 2)).map(Last::of),
                Gen.anyString(40).map(text -> new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).map(Last::of),
                Gen.string("aZ09._-/\u0000\u00e9\u20ac", 0, 12).map(Last::of),
                // Long, yet two of them within the HTTP layer's 4 KiB request line (past it, the server itself answers 414).
                Gen.string("az", 1000, 1800).map(Last::of),
                Gen.of(new Last("%00", "\u0000"), new Last("a%00b", "a\u0000b"), new Last("%ff", "\ufffd"),
                        new Last("v%ff%fe", "v\ufffd\ufffd"), new Last("%e2%82%ac", "\u20ac"), new Last("", "")));
        Gen<List<String>> ns = Gen.weighted(3, Gen.constant(List.<String>of()), 6, n.list(1, 1), 1, n.list(2, 2));
        Gen<List<Last>> lasts = Gen.weighted(2, Gen.constant(List.<Last>of()), 7, last.list(1, 1), 1, last.list(2, 2));
        return random -> new Query(ns.next(random), lasts.next(random));
    }
}
