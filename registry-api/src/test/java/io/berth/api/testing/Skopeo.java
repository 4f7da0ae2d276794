package io.berth.api.testing;

import io.restassured.RestAssured;

/** skopeo as the tests drive it against the registry under test. */
public final class Skopeo {
    private Skopeo() {
    }

    /** The skopeo reference of {@code repositoryAndTag} in the registry under test. */
    public static String reference(String repositoryAndTag) {
        return "docker://localhost:" + RestAssured.port + "/" + repositoryAndTag;
    }

    /** Copies every platform of {@code source} to {@code repositoryAndTag} of the registry under test, as the administrator. */
    public static void copyAll(String source, String repositoryAndTag) {
        Cli.run("skopeo", "copy", "--all", "--retry-times=0", "--dest-tls-verify=false", source, reference(repositoryAndTag));
    }

    /** Pulls {@code repositoryAndTag} into an OCI layout at {@code destination} as the administrator; skopeo verifies every digest. */
    public static void pull(String repositoryAndTag, java.nio.file.Path destination) {
        Cli.run("skopeo", "copy", "--retry-times=0", "--src-tls-verify=false", reference(repositoryAndTag),
                "oci:" + destination + ":" + repositoryAndTag.substring(repositoryAndTag.lastIndexOf(':') + 1));
    }
}
