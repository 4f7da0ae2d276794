package io.berth.api.v2;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.protocol.discovery.Page;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The spec's {@code n}/{@code last} pagination and its {@code Link} header. {@code n} is a count in
 * decimal digits (a count above the largest page asks for a full page); anything else, or either
 * parameter given twice, is refused. {@code last} may be any text: listings are in byte order and
 * return what sorts after it, whether or not a tag or name could equal it.
 */
record Pagination(int limit, String last) {

    /** Without {@code n}, a listing returns up to this many entries and links to the rest. */
    static final int DEFAULT_LIMIT = 10_000;
    static final int MAX_LIMIT = 10_000;

    static Pagination from(HttpServerRequest request) {
        List<String> n = request.params().getAll("n");
        List<String> last = request.params().getAll("last");
        if (n.size() > 1) {
            throw new RegistryException(OciErrorCode.PAGINATION_NUMBER_INVALID, "n given more than once");
        }
        if (last.size() > 1) {
            throw new RegistryException(OciErrorCode.UNSUPPORTED, 400, "last given more than once");
        }
        return new Pagination(n.isEmpty() ? DEFAULT_LIMIT : limit(n.get(0)), last.isEmpty() ? null : last.get(0));
    }

    private static int limit(String n) {
        if (n.isEmpty() || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RegistryException(OciErrorCode.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer");
        }
        String significant = n.replaceFirst("^0+(?=.)", "");
        return significant.length() > 9 ? MAX_LIMIT : Math.min(Integer.parseInt(significant), MAX_LIMIT);
    }

    /** Adds {@code Link: <path?n=..&last=..>; rel="next"} when more entries follow the page. */
    void link(HttpServerResponse response, String path, Page page) {
        if (page.hasMore() && page.last() != null) {
            response.putHeader("Link", "<" + path + "?n=" + limit + "&last="
                    + URLEncoder.encode(page.last(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
    }
}
