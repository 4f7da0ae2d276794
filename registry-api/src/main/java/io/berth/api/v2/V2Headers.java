package io.berth.api.v2;

import io.berth.core.domain.Digest;
import io.vertx.ext.web.RoutingContext;

/** Header rules shared by the /v2 endpoints. */
final class V2Headers {
    static final String API_VERSION = "Docker-Distribution-API-Version";

    private V2Headers() {
    }

    /** Content is immutable per digest, so an ETag match on the digest means the client has it. */
    static boolean notModified(RoutingContext ctx, Digest digest) {
        String ifNoneMatch = ctx.request().getHeader("If-None-Match");
        if (ifNoneMatch == null) {
            return false;
        }
        String etag = "\"" + digest + "\"";
        for (String candidate : ifNoneMatch.split(",")) {
            String trimmed = candidate.trim();
            if (trimmed.equals(etag) || trimmed.equals("*") || trimmed.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
