package io.berth.core.immutability;

/**
 * A change refused because it would move or remove an immutable tag. The /v2 protocol answers it
 * with 403 {@code DENIED}, the management API with 409: the caller has the right, the rule forbids it.
 */
public class ImmutableTagException extends RuntimeException {
    private final String tag;
    private final String repository;
    private final ImmutabilityRule rule;

    public ImmutableTagException(String tag, String repository, ImmutabilityRule rule, String consequence) {
        super("tag " + tag + " in " + repository + " is immutable (rule " + rule.pattern() + ")" + consequence, null, false, false);
        this.tag = tag;
        this.repository = repository;
        this.rule = rule;
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
