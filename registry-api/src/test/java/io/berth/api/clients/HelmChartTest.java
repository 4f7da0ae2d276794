package io.berth.api.clients;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm (its own Go code, through helm-java) packages Berth's chart, signs in, pushes it as an OCI
 * artifact over plain HTTP and pulls it back; the management API then lists the repository as a
 * Helm chart.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class HelmChartTest {
    private static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";
    private static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    @TempDir
    Path work;

    @Test
    void chartPushedWithHelmIsPulledBackAndListedAsAHelmChart() throws IOException {
        String namespace = "charts" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        Accounts.createOrganization(namespace, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String host = "localhost:" + RestAssured.port;

        new Helm(chartSource()).packageIt().withDestination(work).call();
        Path packaged = work.resolve("berth-0.1.0.tgz");
        assertTrue(Files.isRegularFile(packaged), "helm package wrote " + packaged);

        Helm.registry().login().withHost(host).withUsername(Credentials.ADMIN).withPassword(Credentials.ADMIN_PASSWORD)
                .plainHttp().call();
        try {
            Helm.push().withChart(packaged).withRemote(URI.create("oci://" + host + "/" + namespace)).plainHttp().call();

            // Pulled back by Helm: the chart's metadata, and the whole chart rendered from the registry.
            String chartYaml = Helm.show("oci://" + host + "/" + namespace + "/berth").chart().withVersion("0.1.0")
                    .plainHttp().call();
            assertTrue(chartYaml.contains("name: berth") && chartYaml.contains("version: 0.1.0"), chartYaml);
            String rendered = Helm.template("oci://" + host + "/" + namespace + "/berth").withVersion("0.1.0")
                    .withName("pulled").plainHttp().call();
            assertTrue(rendered.contains("kind: Deployment") && rendered.contains("path: /q/health/ready"), rendered);
        } finally {
            Helm.registry().logout().withHost(host).plainHttp().call();
        }

        // What Helm pushed: a Helm config and the packaged chart, byte for byte.
        JsonPath manifest = given().accept("application/vnd.oci.image.manifest.v1+json")
                .get("/v2/" + namespace + "/berth/manifests/0.1.0").then().statusCode(200).extract().jsonPath();
        assertEquals(HELM_CONFIG, manifest.getString("config.mediaType"));
        assertEquals(CHART_LAYER, manifest.getString("layers[0].mediaType"));
        assertEquals(Content.sha256(Files.readAllBytes(packaged)), manifest.getString("layers[0].digest"));

        given().get("/api/v1/repository?namespace=" + namespace).then().statusCode(200)
                .body("repositories.size()", equalTo(1))
                .body("repositories[0].name", equalTo("berth"))
                .body("repositories[0].kind", equalTo("helm_chart"));
    }

    /** deploy/helm/berth of this checkout, found from the module directory (or wherever the tests run). */
    private static Path chartSource() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path chart = dir.resolve("deploy/helm/berth");
            if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
                return chart;
            }
        }
        throw new IllegalStateException("no deploy/helm/berth/Chart.yaml above " + Path.of("").toAbsolutePath());
    }
}
