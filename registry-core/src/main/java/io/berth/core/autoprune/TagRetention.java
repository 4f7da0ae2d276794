package io.berth.core.autoprune;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One tag policy's verdict on a repository's tags: which it would delete and which it keeps, each
 * with a reason. Only the tags its patterns admit are counted or aged; the others are kept. A
 * tag's push is when it was last pointed at its manifest; its last use is the later of its last
 * pull and that push, so a tag never pulled counts from its push, and a tag pushed again counts as new.
 */
final class TagRetention {

    /** A live tag as a policy weighs it. */
    record TagState(String name, String digest, Instant pushedAt, Instant lastPulledAt) {
        Instant lastUsed() {
            return lastPulledAt == null || lastPulledAt.isBefore(pushedAt) ? pushedAt : lastPulledAt;
        }
    }

    record Verdict(TagState tag, boolean delete, String reason) {
    }

    private TagRetention() {
    }

    static List<Verdict> judge(PolicySpec spec, List<TagState> tags, Instant now) {
        TagFilter filter = spec.filter();
        List<Verdict> verdicts = new ArrayList<>();
        List<TagState> inScope = new ArrayList<>();
        for (TagState tag : tags) {
            Optional<String> excluded = filter.exclusion(tag.name());
            if (excluded.isPresent()) {
                verdicts.add(new Verdict(tag, false, excluded.get()));
            } else {
                inScope.add(tag);
            }
        }
        switch (spec.method()) {
            case NUMBER_OF_TAGS -> keepNewest(inScope, Comparator.comparing(TagState::pushedAt), spec.count(), "pushed", verdicts);
            case NUMBER_OF_TAGS_PULLED -> keepNewest(inScope, Comparator.comparing(TagState::lastUsed), spec.count(), "pulled", verdicts);
            case CREATION_DATE -> {
                Instant cutoff = now.minus(spec.age());
                for (TagState tag : inScope) {
                    verdicts.add(tag.pushedAt().isBefore(cutoff)
                            ? new Verdict(tag, true, "pushed more than " + spec.value() + " ago")
                            : new Verdict(tag, false, "pushed within " + spec.value()));
                }
            }
            case NOT_PULLED_SINCE -> {
                Instant cutoff = now.minus(spec.age());
                for (TagState tag : inScope) {
                    verdicts.add(notPulledSince(tag, cutoff, spec.value()));
                }
            }
            case UNTAGGED_OLDER_THAN -> throw new IllegalArgumentException("untagged_older_than judges manifests, not tags");
        }
        return verdicts;
    }

    /** Keeps the {@code count} newest by {@code newness} (ties: by name), deletes the rest. */
    private static void keepNewest(List<TagState> tags, Comparator<TagState> newness, int count, String how, List<Verdict> verdicts) {
        List<TagState> newestFirst = new ArrayList<>(tags);
        newestFirst.sort(newness.reversed().thenComparing(TagState::name));
        for (int i = 0; i < newestFirst.size(); i++) {
            TagState tag = newestFirst.get(i);
            verdicts.add(i < count
                    ? new Verdict(tag, false, "within the count: one of the " + count + " most recently " + how + " tags")
                    : new Verdict(tag, true, "not among the " + count + " most recently " + how + " tags"));
        }
    }

    private static Verdict notPulledSince(TagState tag, Instant cutoff, String age) {
        if (!tag.lastUsed().isBefore(cutoff)) {
            return new Verdict(tag, false, tag.lastPulledAt() != null && !tag.lastPulledAt().isBefore(cutoff)
                    ? "recently pulled: pulled within " + age : "recently pushed: pushed within " + age);
        }
        return new Verdict(tag, true, tag.lastPulledAt() == null ? "never pulled, and pushed more than " + age + " ago"
                : "not pulled in " + age);
    }
}
