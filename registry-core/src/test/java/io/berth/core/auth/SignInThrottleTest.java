package io.berth.core.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throttle of credential checks: per name, per address, a success clearing only the name, windows ending. */
class SignInThrottleTest {

    @Test
    void aNameIsRefusedAfterItsFailuresUntilASuccessClearsIt() {
        SignInThrottle throttle = new SignInThrottle(3, 100, Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            assertTrue(throttle.allows("alice", "10.0.0." + i));
            throttle.failed("alice", "10.0.0." + i);
        }
        assertFalse(throttle.allows("alice", "10.0.0.9"), "the name is refused from any address");
        assertTrue(throttle.allows("bob", "10.0.0.1"), "other names go on");
        throttle.succeeded("alice");
        assertTrue(throttle.allows("alice", "10.0.0.9"));
    }

    @Test
    void anAddressIsRefusedAfterItsFailuresWhateverTheNameAndASuccessDoesNotClearIt() {
        SignInThrottle throttle = new SignInThrottle(100, 3, Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            throttle.failed("user" + i, "192.0.2.7");
        }
        throttle.succeeded("mine");
        assertFalse(throttle.allows("mine", "192.0.2.7"));
        assertTrue(throttle.allows("mine", "192.0.2.8"));
        assertTrue(throttle.allows(null, null), "nothing to count by, nothing refused");
    }

    @Test
    void theWindowEndsOneWindowAfterTheFirstFailure() throws InterruptedException {
        SignInThrottle throttle = new SignInThrottle(1, 100, Duration.ofMillis(300));
        throttle.failed("carol", null);
        assertFalse(throttle.allows("carol", null));
        Thread.sleep(700);
        assertTrue(throttle.allows("carol", null));
    }
}
