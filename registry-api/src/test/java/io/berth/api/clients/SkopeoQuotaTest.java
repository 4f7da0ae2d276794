package io.berth.api.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Quotas;
import io.berth.api.testing.Skopeo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo against a Reject quota: the push that does not fit fails, and skopeo prints the registry's message saying why. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class SkopeoQuotaTest {

    @TempDir
    Path work;

    @Test
    void aPushOverTheQuotaFailsWithTheQuotaMessage() {
        String org = Quotas.organization("skopeoquota");
        OciLayout small = new OciLayout(work.resolve("small"));
        small.addImage("v1", "amd64", 1, 50_000);
        copy(small.reference("v1"), org + "/app:v1");
        long used = Quotas.usage(org);
        Quotas.rejectingAt(org, used + 100_000);

        OciLayout big = new OciLayout(work.resolve("big"));
        big.addImage("v2", "amd64", 3, 200_000);
        Cli.Result refused = Cli.attempt(List.of("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--retry-times=0",
                big.reference("v2"), Skopeo.reference(org + "/app:v2")));
        String output = refused.stdout() + refused.stderr();
        assertNotEquals(0, refused.exitCode(), output);
        assertTrue(output.contains("quota exceeded: namespace " + org + " uses"), output);
        assertTrue(output.contains("limit"), output);
        assertTrue(Quotas.usage(org) <= used + 100_000, "never past the limit");
        assertEquals(0, Quotas.recount(org).getLong("drift_bytes"));

        // A retag of what is stored adds nothing and still works at the limit.
        Cli.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--retry-times=0",
                Skopeo.reference(org + "/app:v1"), Skopeo.reference(org + "/app:stable"));
    }

    private static void copy(String source, String destination) {
        Cli.run("skopeo", "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--retry-times=0", source,
                Skopeo.reference(destination));
    }
}
