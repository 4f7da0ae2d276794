package io.berth.core.tag.policy;

import io.berth.core.error.ManagementException;
import io.berth.core.regex.BoundedPattern;
import io.berth.core.tag.semver.InvalidConstraintException;
import io.berth.core.tag.semver.SemanticVersion;
import io.berth.core.tag.semver.VersionConstraint;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which tags of a repository count and in which order (003's {@code image_update_strategy},
 * {@code image_update_constraint}, {@code image_allow_tags}, {@code image_ignore_tags}): a tag counts
 * when {@code allow} (if given) is found in its name, {@code ignore} (if given) is not, and the
 * strategy can place it (a semantic version within the constraint, a number); the first in order is
 * the newest. Ties (equal versions such as {@code 1.2.3} and {@code v1.2.3}, equal numbers such as
 * {@code 7} and {@code 07}, equal push times) go to the most recently pushed, then the name last in
 * lexical order, so the answer never depends on how rows happen to come back.
 */
public record TagPolicy(TagStrategy strategy, VersionConstraint constraint, TagPattern allow, TagPattern ignore,
        boolean includePreReleases) {

    /** What {@code numerical} reads as a number: digits, with an optional fraction. */
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");

    private static final Comparator<TagCandidate> RECENT_FIRST = Comparator.comparing(TagCandidate::pushedAt).reversed()
            .thenComparing(TagCandidate::name, Comparator.reverseOrder());

    /**
     * The policy the query parameters describe; a 400 naming the parameter when one is malformed. A
     * constraint goes only with {@code semver}.
     */
    public static TagPolicy of(String strategy, String constraint, String allow, String ignore, boolean includePreReleases) {
        TagStrategy parsed = TagStrategy.parse(strategy);
        VersionConstraint range = VersionConstraint.ANY;
        if (constraint != null && !constraint.isEmpty()) {
            if (parsed != TagStrategy.SEMVER) {
                throw ManagementException.badRequest("constraint applies only to strategy semver, not " + parsed.wireName());
            }
            try {
                range = VersionConstraint.parse(constraint);
            } catch (InvalidConstraintException invalid) {
                throw ManagementException.badRequest("constraint is not a version range: " + invalid.getMessage());
            }
        }
        return new TagPolicy(parsed, range, TagPattern.of("allow", allow), TagPattern.of("ignore", ignore), includePreReleases);
    }

    /** The tags that count, newest first. */
    public List<TagCandidate> rank(Collection<TagCandidate> tags) {
        BoundedPattern.Budget budget = TagPattern.budget();
        List<TagCandidate> admitted = new ArrayList<>(tags.size());
        for (TagCandidate tag : tags) {
            if ((allow == null || allow.foundIn(tag.name(), budget)) && (ignore == null || !ignore.foundIn(tag.name(), budget))) {
                admitted.add(tag);
            }
        }
        return switch (strategy) {
            case SEMVER -> byKey(admitted, tag -> SemanticVersion.parse(tag.name())
                    .filter(version -> constraint.admits(version, includePreReleases)));
            case NUMERICAL -> byKey(admitted, tag -> NUMBER.matcher(tag.name()).matches()
                    ? Optional.of(new BigDecimal(tag.name())) : Optional.empty());
            case LATEST -> admitted.stream().sorted(RECENT_FIRST).toList();
            case ALPHABETICAL -> admitted.stream().sorted(Comparator.comparing(TagCandidate::name).reversed()).toList();
        };
    }

    /** The tags {@code key} places, highest key first; each key computed once. */
    private static <K extends Comparable<K>> List<TagCandidate> byKey(List<TagCandidate> tags, Function<TagCandidate, Optional<K>> key) {
        record Keyed<K>(K key, TagCandidate tag) {
        }
        List<Keyed<K>> keyed = new ArrayList<>(tags.size());
        for (TagCandidate tag : tags) {
            key.apply(tag).ifPresent(found -> keyed.add(new Keyed<>(found, tag)));
        }
        keyed.sort(Comparator.<Keyed<K>, K>comparing(Keyed::key).reversed().thenComparing(Keyed::tag, RECENT_FIRST));
        return keyed.stream().map(Keyed::tag).toList();
    }
}
