package io.berth.core.immutability;

import java.util.List;
import java.util.Optional;

/**
 * The immutability rules that apply to one repository (its namespace's and its own), with the
 * repository's name for the messages of refusals. {@code repository} is null when there is no
 * repository with that id.
 */
public record RepositoryRules(String repository, List<ImmutabilityRule> rules) {
    static final RepositoryRules NONE = new RepositoryRules(null, List.of());

    /** The first rule protecting the tag, if any: namespace rules before repository ones, older before newer. */
    public Optional<ImmutabilityRule> protecting(String tag) {
        for (ImmutabilityRule rule : rules) {
            if (rule.protects(tag)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
