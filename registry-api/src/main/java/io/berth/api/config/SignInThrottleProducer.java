package io.berth.api.config;

import io.berth.core.auth.SignInThrottle;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The throttle of credential checks, from {@code berth.auth.sign-in-throttle.*}. */
public class SignInThrottleProducer {

    @Produces
    @Singleton
    SignInThrottle signInThrottle(BerthConfig config) {
        BerthConfig.Auth.SignInThrottle limits = config.auth().signInThrottle();
        return new SignInThrottle(limits.perName(), limits.perAddress(), limits.window());
    }
}
