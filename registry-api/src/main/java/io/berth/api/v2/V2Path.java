package io.berth.api.v2;

import io.berth.core.domain.RepositoryName;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A /v2 request path split into the route it names, the repository and the route's argument.
 * Paths are matched as received: no cleaning of {@code ..} or {@code //}, no redirects. Routes are
 * recognised from the end because repository names may themselves contain words such as "blobs".
 */
record V2Path(Route route, String repository, String argument) {

    enum Route {
        BASE, TOKEN, CATALOG, TAGS, MANIFEST, BLOB, UPLOAD_START, UPLOAD, REFERRERS, UNKNOWN
    }

    private static final V2Path UNKNOWN = new V2Path(Route.UNKNOWN, null, null);

    /** The repository name, validated ({@code NAME_INVALID} otherwise). */
    RepositoryName name() {
        return RepositoryName.parse(repository);
    }

    /** Whether a path names the protocol's root or something below it. */
    static boolean isUnderV2(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    static V2Path parse(String rawPath) {
        if (rawPath.equals("/v2") || rawPath.equals("/v2/")) {
            return new V2Path(Route.BASE, null, null);
        }
        if (!rawPath.startsWith("/v2/")) {
            return UNKNOWN;
        }
        String rest = rawPath.substring(4);
        if (rest.equals("token")) {
            return new V2Path(Route.TOKEN, null, null);
        }
        if (rest.equals("_catalog")) {
            return new V2Path(Route.CATALOG, null, null);
        }
        boolean trailingSlash = rest.endsWith("/");
        String[] segments = rest.split("/", -1);
        if (trailingSlash) {
            segments = Arrays.copyOf(segments, segments.length - 1);
        }
        int n = segments.length;
        if (n >= 3 && segments[n - 2].equals("blobs") && segments[n - 1].equals("uploads")) {
            return new V2Path(Route.UPLOAD_START, join(segments, n - 2), null);
        }
        if (trailingSlash) {
            return UNKNOWN;
        }
        if (n >= 4 && segments[n - 3].equals("blobs") && segments[n - 2].equals("uploads")) {
            return new V2Path(Route.UPLOAD, join(segments, n - 3), decode(segments[n - 1]));
        }
        if (n >= 3 && segments[n - 2].equals("tags") && segments[n - 1].equals("list")) {
            return new V2Path(Route.TAGS, join(segments, n - 2), null);
        }
        if (n >= 2) {
            Route route = switch (segments[n - 2]) {
                case "manifests" -> Route.MANIFEST;
                case "blobs" -> Route.BLOB;
                case "referrers" -> Route.REFERRERS;
                default -> Route.UNKNOWN;
            };
            if (route != Route.UNKNOWN) {
                return new V2Path(route, join(segments, n - 2), decode(segments[n - 1]));
            }
        }
        return digestWithSegments(segments);
    }

    /**
     * {@code .../manifests/sha256:abc/def} or {@code .../blobs/sha256:abc/def}: a digest carrying path
     * segments. No repository name holds a ':', so the digest route is what the client meant, and its
     * argument (the digest with its segments) answers {@code DIGEST_INVALID}.
     */
    private static V2Path digestWithSegments(String[] segments) {
        for (int i = 1; i < segments.length - 2; i++) {
            boolean digestRoute = segments[i].equals("manifests") || segments[i].equals("blobs");
            if (digestRoute && segments[i + 1].indexOf(':') > 0) {
                Route route = segments[i].equals("manifests") ? Route.MANIFEST : Route.BLOB;
                String argument = String.join("/", Arrays.copyOfRange(segments, i + 1, segments.length));
                return new V2Path(route, join(segments, i), decode(argument));
            }
        }
        return UNKNOWN;
    }

    private static String join(String[] segments, int count) {
        return String.join("/", Arrays.copyOf(segments, count));
    }

    /** Clients may percent-encode the ':' of a digest; '+' is literal in paths. */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
