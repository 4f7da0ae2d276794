package io.berth.core.protocol.discovery;

import java.util.List;

/** One page of a lexically ordered listing; {@code hasMore} says whether a next page exists. */
public record Page(List<String> items, boolean hasMore) {

    public String last() {
        return items.isEmpty() ? null : items.get(items.size() - 1);
    }
}
