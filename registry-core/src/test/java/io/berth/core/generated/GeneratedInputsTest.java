package io.berth.core.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratedInputsTest {

    @Test
    void aFailingInputIsReportedWithTheSeedThatReplaysIt() {
        AssertionError failure = assertThrows(AssertionError.class, () -> GeneratedInputs.check(10_000,
                Gen.intBetween(0, 1000), value -> assertTrue(value < 990, "too large")));
        String seed = failure.getMessage().replaceAll("(?s).*of seed (-?\\d+).*", "$1");

        List<Integer> first = replay(seed);
        List<Integer> second = replay(seed);
        assertEquals(first, second, "the same seed draws the same inputs");
        assertTrue(first.getLast() >= 990, "the replay stops at the input that failed");
        assertTrue(failure.getMessage().contains(String.valueOf(first.getLast())), failure.getMessage());
    }

    @Test
    void runsAreBoundedInTime() {
        int checked = GeneratedInputs.check(Integer.MAX_VALUE, Duration.ofMillis(200), Gen.anyString(10), value -> { });
        assertTrue(checked > 0 && checked < Integer.MAX_VALUE);
    }

    private static List<Integer> replay(String seed) {
        List<Integer> seen = new ArrayList<>();
        System.setProperty(GeneratedInputs.SEED_PROPERTY, seed);
        try {
            assertThrows(AssertionError.class, () -> GeneratedInputs.check(10_000, Gen.intBetween(0, 1000), value -> {
                seen.add(value);
                assertTrue(value < 990);
            }));
        } finally {
            System.clearProperty(GeneratedInputs.SEED_PROPERTY);
        }
        return seen;
    }
}
