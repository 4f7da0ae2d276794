package io.berth.api.clients;

import io.berth.api.testing.Cli;

/** skopeo pushes for tests outside this package that need content pushed by a real client. */
public final class SkopeoAccess {
    private SkopeoAccess() {
    }

    /** Copies every platform of {@code source} to {@code repositoryAndTag} of the registry under test. */
    public static void copyAll(String source, String repositoryAndTag) {
        Cli.run("skopeo", "copy", "--all", "--retry-times=0", "--dest-tls-verify=false", source, SkopeoTest.registry(repositoryAndTag));
    }
}
