package io.berth.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.core.image.ImageView;
import io.berth.core.tag.policy.NewestTagService;
import io.berth.core.tag.policy.RankedTag;
import java.time.Instant;
import java.util.List;

/** The JSON of {@code GET .../tag/newest}: one tag, or a page of them in the policy's order. */
final class NewestTags {
    private NewestTags() {
    }

    /** A platform an index offers; {@code variant} only when it names one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PlatformJson(String os, String architecture, String variant, String digest) {
        static PlatformJson of(ImageView.Platform platform) {
            return new PlatformJson(platform.os(), platform.architecture(), platform.variant(), platform.digest());
        }
    }

    /** {@code platforms} only for an index. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RankedTagJson(String name, String digest, Instant pushedAt, List<PlatformJson> platforms) {
        static RankedTagJson of(RankedTag tag) {
            return new RankedTagJson(tag.name(), tag.digest(), tag.pushedAt(),
                    tag.platforms() == null ? null : tag.platforms().stream().map(PlatformJson::of).toList());
        }
    }

    record RankedList(List<RankedTagJson> tags, int page, boolean has_additional) {
    }

    static RankedList list(NewestTagService.Page page, int pageNumber) {
        return new RankedList(page.tags().stream().map(RankedTagJson::of).toList(), pageNumber, page.hasAdditional());
    }
}
