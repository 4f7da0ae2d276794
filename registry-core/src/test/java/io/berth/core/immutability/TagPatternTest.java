package io.berth.core.immutability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.core.error.ManagementException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TagPatternTest {

    @Test
    void matchesTheWholeTagName() {
        TagPattern pattern = TagPattern.parse("v[0-9]+");
        assertTrue(pattern.matches("v1"));
        assertTrue(pattern.matches("v10"));
        assertFalse(pattern.matches("v1-rc"));
        assertFalse(pattern.matches("xv1"));
    }

    @Test
    void anchorsChangeNothing() {
        TagPattern pattern = TagPattern.parse("^v[0-9.]+$");
        assertTrue(pattern.matches("v1.0"));
        assertFalse(pattern.matches("v1.0-beta"));
    }

    @Test
    void invalidPatternsAreRefusedNamingTheField() {
        for (String invalid : new String[] {"(", "[a-", "*", "a{2,1}", "", "\0"}) {
            ManagementException refused = assertThrows(ManagementException.class, () -> TagPattern.parse(invalid), invalid);
            assertEquals(ManagementException.Kind.BAD_REQUEST, refused.kind());
            assertTrue(refused.getMessage().startsWith("tagPattern"), refused.getMessage());
        }
        assertThrows(ManagementException.class, () -> TagPattern.parse(null));
    }

    @Test
    void overlongPatternsAreRefused() {
        ManagementException refused = assertThrows(ManagementException.class, () -> TagPattern.parse("a".repeat(TagPattern.MAX_LENGTH + 1)));
        assertTrue(refused.getMessage().contains("longer than " + TagPattern.MAX_LENGTH), refused.getMessage());
        assertTrue(TagPattern.parse("a".repeat(TagPattern.MAX_LENGTH)).matches("a".repeat(TagPattern.MAX_LENGTH)));
    }

    @Test
    void catastrophicBacktrackingEndsQuicklyAndProtectsTheTag() {
        TagPattern pattern = TagPattern.parse("(.*a){12}b");
        // Unbounded, this backtracks through about 127^12 ways of splitting the tag: longer than the age of the universe.
        boolean protectedTag = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> pattern.matches("a".repeat(127) + "c"));
        assertTrue(protectedTag, "a match that runs out of budget errs on the side of keeping the tag");
        assertTrue(pattern.matches("a".repeat(12) + "b"));
        assertFalse(pattern.matches("a".repeat(5) + "b"));
    }
}
