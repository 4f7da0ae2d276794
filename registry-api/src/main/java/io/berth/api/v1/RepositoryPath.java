package io.berth.api.v1;

/**
 * How a {@code {repository}} path parameter is matched. A repository's path may contain slashes, so
 * {@code /api/v1/repository/acme/app/mirror} could name the repository {@code acme/app/mirror} or
 * the operation {@code mirror} of {@code acme/app}. The words that name operations of a repository
 * (Berth's and the other ones of Quay's API) therefore end the repository's path wherever they
 * appear after its namespace: such a path is an operation, answered by its endpoint, or by 404 "no
 * such endpoint" (405 for a method it does not take), never by "no repository acme/app/mirror". A
 * repository whose path holds one of these words after its namespace is pushed and pulled as any
 * other, but the management API cannot address it.
 */
final class RepositoryPath {
    /** Operations that follow a repository's path. */
    static final String OPERATION_WORDS = "aggregatelogs|autoprune|autoprunepolicy|build|changestate|changevisibility|cleanup|exportlogs"
            + "|image|immutabilitypolicy|logs|manifest|mirror|notification|permissions|tag|tokens|trigger";

    /**
     * The namespace, then components that are not operation words ({@code (?![^/])} rather than an
     * anchor: the word must fill the component, and this pattern is matched inside a longer one).
     */
    static final String REGEX = "[^/]+(?:/(?!(?:" + OPERATION_WORDS + ")(?![^/]))[^/]+)*";

    private RepositoryPath() {
    }
}
