package io.berth.core.pullstats;

import java.util.Comparator;

/**
 * A tag as pulls count it: by the manifest it served and its name. The manifest names the repository
 * (a manifest belongs to one), so the key needs no lookup on the request's path, and a tag that moves
 * before the write still gets its pulls.
 */
record TagPull(long manifestId, String tag) {
    static final Comparator<TagPull> ORDER = Comparator.comparingLong(TagPull::manifestId).thenComparing(TagPull::tag);
}
