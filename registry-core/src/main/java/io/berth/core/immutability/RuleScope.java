package io.berth.core.immutability;

import io.berth.core.domain.RepositoryName;

/** Where rules are managed: an organization (its rules apply to all of its repositories) or one repository. */
public sealed interface RuleScope {

    record Organization(String name) implements RuleScope {
    }

    record Repository(RepositoryName name) implements RuleScope {
    }

    static RuleScope organization(String name) {
        return new Organization(name);
    }

    static RuleScope repository(RepositoryName name) {
        return new Repository(name);
    }
}
