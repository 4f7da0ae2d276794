package io.berth.core.autoprune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.error.ManagementException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ages as policies write them, the patterns' rules, and a pattern that backtracks stopped by its budget. */
class TagRetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void agesAreAWholeNumberAndAUnit() {
        assertEquals(Optional.of(Duration.ofDays(7)), RetentionAge.parse("7d"));
        assertEquals(Optional.of(Duration.ofDays(14)), RetentionAge.parse("2w"));
        assertEquals(Optional.of(Duration.ofHours(12)), RetentionAge.parse("12h"));
        assertEquals(Optional.of(Duration.ofMinutes(30)), RetentionAge.parse("30m"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetentionAge.parse("90s"));
        for (String wrong : List.of("0d", "7", "d", "7 d", "-1d", "1.5d", "7D", "99999999d", "5300w")) {
            assertEquals(Optional.empty(), RetentionAge.parse(wrong), wrong);
        }
    }

    @Test
    void patternsMustAllAgreeAndAreFoundAnywhereInTheName() {
        TagFilter filter = new TagFilter("release", true, "^v", "-rc[0-9]*$");
        assertEquals(Optional.empty(), filter.exclusion("v1-release"));
        assertEquals(Optional.of("excluded by pattern: does not match tagPattern"), filter.exclusion("v1"));
        assertEquals(Optional.of("excluded by pattern: does not match includeTagPattern"), filter.exclusion("release-1"));
        assertEquals(Optional.of("excluded by pattern: matches excludeTagPattern"), filter.exclusion("v2-release-rc1"));
        assertEquals(Optional.of("excluded by pattern: matches tagPattern"), new TagFilter("release", false, null, null).exclusion("release"));
        ManagementException invalid = assertThrows(ManagementException.class, () -> new TagFilter(null, true, "(", null));
        assertTrue(invalid.getMessage().startsWith("includeTagPattern is not a valid regular expression"), invalid.getMessage());
    }

    @Test
    void aPatternThatBacktracksCatastrophicallyIsStoppedByItsBudget() {
        // Unbounded, this tries about 127^12 ways of splitting the tag.
        TagFilter filter = new TagFilter("(.*a){12}b", true, null, null);
        String tag = "a".repeat(127) + "c";
        long started = System.nanoTime();
        assertThrows(TagFilter.PatternTooCostlyException.class, () -> filter.exclusion(tag));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "stopped quickly");
    }

    @Test
    void aCountKeepsTheNewestAndAnAgeTheYoungOnes() {
        List<TagRetention.TagState> tags = List.of(
                new TagRetention.TagState("old", "sha256:1", NOW.minus(Duration.ofDays(10)), null),
                new TagRetention.TagState("mid", "sha256:2", NOW.minus(Duration.ofDays(5)), NOW.minus(Duration.ofDays(20))),
                new TagRetention.TagState("new", "sha256:3", NOW.minus(Duration.ofDays(1)), null),
                new TagRetention.TagState("pulled", "sha256:4", NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofHours(1))));
        assertEquals(List.of("old", "pulled"), deleted(spec(PruneMethod.NUMBER_OF_TAGS, "2"), tags));
        assertEquals(List.of("old", "pulled"), deleted(spec(PruneMethod.CREATION_DATE, "7d"), tags));
        assertEquals(List.of("mid", "old"), deleted(spec(PruneMethod.NUMBER_OF_TAGS_PULLED, "2"), tags));
        assertEquals(List.of("old"), deleted(spec(PruneMethod.NOT_PULLED_SINCE, "6d"), tags));
    }

    private static PolicySpec spec(PruneMethod method, String value) {
        return new PolicySpec(method, value, null, true, null, null);
    }

    private static List<String> deleted(PolicySpec spec, List<TagRetention.TagState> tags) {
        return TagRetention.judge(spec, tags, NOW).stream().filter(TagRetention.Verdict::delete).map(verdict -> verdict.tag().name())
                .sorted().toList();
    }
}
