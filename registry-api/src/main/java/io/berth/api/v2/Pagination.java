package io.berth.api.v2;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.protocol.discovery.Page;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The spec's {@code n}/{@code last} pagination and its {@code Link} header. */
record Pagination(int limit, String last) {

    /** Without {@code n}, a listing returns up to this many entries and links to the rest. */
    static final int DEFAULT_LIMIT = 10_000;
    static final int MAX_LIMIT = 10_000;

    static Pagination from(HttpServerRequest request) {
        String n = request.getParam("n");
        int limit = DEFAULT_LIMIT;
        if (n != null) {
            try {
                limit = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                throw new RegistryException(OciErrorCode.PAGINATION_NUMBER_INVALID, "n must be a number");
            }
            if (limit < 0) {
                throw new RegistryException(OciErrorCode.PAGINATION_NUMBER_INVALID, "n must not be negative");
            }
            limit = Math.min(limit, MAX_LIMIT);
        }
        return new Pagination(limit, request.getParam("last"));
    }

    /** Adds {@code Link: <path?n=..&last=..>; rel="next"} when more entries follow the page. */
    void link(HttpServerResponse response, String path, Page page) {
        if (page.hasMore() && page.last() != null) {
            response.putHeader("Link", "<" + path + "?n=" + limit + "&last="
                    + URLEncoder.encode(page.last(), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
    }
}
