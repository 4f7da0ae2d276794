package io.berth.core.immutability;

import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;

/**
 * A change refused because it would move or remove an immutable tag. The /v2 protocol answers it
 * with 403 {@code DENIED}, the management API with 409 (the caller has the right; the rule forbids
 * it). The explanation is the error's {@code message} as well as its detail: skopeo, podman and
 * docker print the message, never the detail.
 */
public class ImmutableTagException extends RegistryException {
    private final String tag;
    private final String repository;
    private final ImmutabilityRule rule;

    public ImmutableTagException(String tag, String repository, ImmutabilityRule rule, String consequence) {
        super(OciErrorCode.DENIED, "tag " + tag + " in " + repository + " is immutable (rule " + rule.describe() + ")" + consequence);
        this.tag = tag;
        this.repository = repository;
        this.rule = rule;
    }

    @Override
    public String message() {
        return detail();
    }

    public String tag() {
        return tag;
    }

    public String repository() {
        return repository;
    }

    public ImmutabilityRule rule() {
        return rule;
    }
}
