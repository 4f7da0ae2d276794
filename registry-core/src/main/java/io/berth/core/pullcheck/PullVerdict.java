package io.berth.core.pullcheck;

import io.berth.core.image.ImageView;
import java.util.List;

/**
 * The answer of a pull check: whether the pull would succeed, why (or why not) as a code and a
 * sentence, the digest the image reference resolved to, the platform's manifest picked from an
 * index, and the index's platforms when the caller may pull it. Fields that do not apply are null.
 */
public record PullVerdict(boolean pullable, PullReason reason, String message, String digest, String platformDigest,
        List<ImageView.Platform> platforms) {

    static PullVerdict refused(PullReason reason, String message) {
        return new PullVerdict(false, reason, message, null, null, null);
    }
}
