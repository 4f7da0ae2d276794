package io.berth.core.metadata;

/**
 * Whether a push may create the namespace it names. Users' namespaces exist from the user's
 * creation and organizations are created through the API, so a push to a missing namespace is
 * normally a typo, and creating it would leave an organization without members that only
 * administrators see.
 *
 * @param createOnPush true to let a push (only administrators may push to a namespace that does not
 *     exist) or a repository's creation make a missing namespace an organization, as the first
 *     push to a fresh registry does in the distribution reference registry
 */
public record NamespacePolicy(boolean createOnPush) {
}
