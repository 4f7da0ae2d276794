package io.berth.api.auth;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;

/** A 401 that tells the client where and for what scope to get a token ({@code WWW-Authenticate}). */
public class ChallengedException extends RegistryException {
    private final String challenge;

    public ChallengedException(String detail, String challenge) {
        super(OciErrorCode.UNAUTHORIZED, detail);
        this.challenge = challenge;
    }

    public String challenge() {
        return challenge;
    }
}
