package io.berth.api.auth;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;

/** A 401 that tells the client where and for what scope to get a token ({@code WWW-Authenticate}). */
public class ChallengedException extends RegistryException {
    private final String challenge;
    private final boolean detailIsMessage;

    public ChallengedException(String detail, String challenge) {
        this(detail, challenge, false);
    }

    private ChallengedException(String detail, String challenge, boolean detailIsMessage) {
        super(OciErrorCode.UNAUTHORIZED, detail);
        this.challenge = challenge;
        this.detailIsMessage = detailIsMessage;
    }

    /**
     * A refused sign-in whose reason is also the error's message: docker shows a client only the code
     * and message ({@code unauthorized: invalid username or password}), never the detail.
     */
    public static ChallengedException signInRefused(String reason, String challenge) {
        return new ChallengedException(reason, challenge, true);
    }

    @Override
    public String message() {
        return detailIsMessage ? detail() : super.message();
    }

    public String challenge() {
        return challenge;
    }
}
