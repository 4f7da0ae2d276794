package io.berth.deploy;

import static io.berth.deploy.BerthChart.FULLNAME;
import static io.berth.deploy.DeploymentChecks.assertDeploysBerth;
import static io.berth.deploy.DeploymentChecks.assertServes;
import static io.berth.deploy.DeploymentChecks.berthContainer;
import static io.berth.deploy.DeploymentChecks.environment;
import static io.berth.deploy.DeploymentChecks.mountPath;
import static io.berth.deploy.DeploymentChecks.port;
import static io.berth.deploy.DeploymentChecks.servicePort;
import static io.berth.deploy.DeploymentChecks.volume;
import static io.berth.deploy.KubernetesObjects.ofType;
import static io.berth.deploy.KubernetesObjects.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart rendered by Helm for the value sets users install with, read back strictly into the Kubernetes model. */
class ChartRenderTest {
    private static final String S3_EXTERNAL = """
            replicaCount: 3
            externalURL: https://registry.example.com
            database:
              type: external
              external:
                jdbcUrl: jdbc:postgresql://db.example:5432/berth?sslmode=require
                username: berth
                passwordSecret: berth-database
            storage:
              type: s3
              s3:
                bucket: registry
                endpoint: http://minio.storage:9000
                region: eu-west-1
                pathStyle: true
                credentialsSecret: berth-s3
            gc:
              reviewDelay: 12h
              safetyWindow: 2h
            """;

    @Test
    void lintPassesStrictly() {
        LintResult lint = new Helm(DeployFiles.chart()).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void defaultsRunOneReplicaWithTheEmbeddedDatabaseOnAClaim() {
        List<Object> objects = BerthChart.render("");
        Deployment deployment = single(objects, Deployment.class);
        assertDeploysBerth(deployment, objects);
        assertServes(single(objects, Service.class), deployment);

        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType(),
                "the old pod releases the volume and its PostgreSQL before the new one starts");
        PersistentVolumeClaim claim = single(objects, PersistentVolumeClaim.class);
        assertEquals(FULLNAME + "-data", claim.getMetadata().getName());
        assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
        assertEquals(new Quantity("20Gi"), claim.getSpec().getResources().getRequests().get("storage"));
        Volume data = volume(deployment.getSpec().getTemplate().getSpec(), "data");
        assertEquals(claim.getMetadata().getName(), data.getPersistentVolumeClaim().getClaimName());

        Map<String, String> environment = environment(berthContainer(deployment), objects);
        assertEquals("fs", environment.get("BERTH_STORAGE_TYPE"));
        assertFalse(environment.containsKey("QUARKUS_DATASOURCE_JDBC_URL"), "no URL: the embedded database");
        assertFalse(environment.containsKey("BERTH_AUTH_ADMIN_PASSWORD"), "Berth generates the password");
        assertEquals("true", environment.get("BERTH_GC_ENABLED"));
        assertEquals(new Quantity("1Gi"), berthContainer(deployment).getResources().getLimits().get("memory"),
                "room for PostgreSQL beside the JVM");
        assertEquals(1, single(objects, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal(),
                "a single replica can still be drained");
        assertTrue(ofType(objects, HorizontalPodAutoscaler.class).isEmpty());
        assertTrue(ofType(objects, Ingress.class).isEmpty());
    }

    @Test
    void s3WithExternalPostgresScalesOut() {
        List<Object> objects = BerthChart.render(S3_EXTERNAL + """
                autoscaling:
                  enabled: true
                  minReplicas: 3
                  maxReplicas: 8
                """);
        Deployment deployment = single(objects, Deployment.class);
        assertDeploysBerth(deployment, objects);
        assertNull(deployment.getSpec().getReplicas(), "the autoscaler owns the replica count");
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());

        HorizontalPodAutoscaler autoscaler = single(objects, HorizontalPodAutoscaler.class);
        assertEquals(3, autoscaler.getSpec().getMinReplicas());
        assertEquals(8, autoscaler.getSpec().getMaxReplicas());
        assertEquals("Deployment", autoscaler.getSpec().getScaleTargetRef().getKind());
        assertEquals(deployment.getMetadata().getName(), autoscaler.getSpec().getScaleTargetRef().getName());

        assertTrue(ofType(objects, PersistentVolumeClaim.class).isEmpty(), "nothing lives on a volume");
        assertNotNull(volume(deployment.getSpec().getTemplate().getSpec(), "data").getEmptyDir());

        Container berth = berthContainer(deployment);
        Map<String, String> environment = environment(berth, objects);
        assertEquals("s3", environment.get("BERTH_STORAGE_TYPE"));
        assertEquals("registry", environment.get("BERTH_STORAGE_S3_BUCKET"));
        assertEquals("http://minio.storage:9000", environment.get("BERTH_STORAGE_S3_ENDPOINT"));
        assertEquals("eu-west-1", environment.get("BERTH_STORAGE_S3_REGION"));
        assertEquals("true", environment.get("BERTH_STORAGE_S3_PATH_STYLE_ACCESS"));
        assertEquals("secret:berth-s3/access-key-id", environment.get("BERTH_STORAGE_S3_ACCESS_KEY_ID"));
        assertEquals("secret:berth-s3/secret-access-key", environment.get("BERTH_STORAGE_S3_SECRET_ACCESS_KEY"));
        assertEquals("jdbc:postgresql://db.example:5432/berth?sslmode=require",
                environment.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("berth", environment.get("QUARKUS_DATASOURCE_USERNAME"));
        assertEquals("secret:berth-database/password", environment.get("QUARKUS_DATASOURCE_PASSWORD"));
        assertEquals("12h", environment.get("BERTH_GC_REVIEW_DELAY"));
        assertEquals("2h", environment.get("BERTH_GC_SAFETY_WINDOW"));
        assertEquals("https://registry.example.com", environment.get("BERTH_EXTERNAL_URL"));
        assertEquals(new Quantity("512Mi"), berth.getResources().getLimits().get("memory"));
    }

    @Test
    void fixedReplicasWithoutAutoscaler() {
        List<Object> objects = BerthChart.render(S3_EXTERNAL);
        assertEquals(3, single(objects, Deployment.class).getSpec().getReplicas());
        assertTrue(ofType(objects, HorizontalPodAutoscaler.class).isEmpty());
    }

    @Test
    void adminPasswordGivenInValuesBecomesASecret() {
        List<Object> objects = BerthChart.render("admin:\n  password: s3cret-for-admin\n");
        Secret secret = single(objects, Secret.class);
        assertEquals("s3cret-for-admin", new String(Base64.getDecoder().decode(secret.getData().get("password")),
                StandardCharsets.UTF_8));
        assertEquals("secret:" + secret.getMetadata().getName() + "/password",
                environment(berthContainer(single(objects, Deployment.class)), objects).get("BERTH_AUTH_ADMIN_PASSWORD"));

        List<Object> existing = BerthChart.render("admin:\n  existingSecret: ops-admin\n  passwordKey: pw\n");
        assertTrue(ofType(existing, Secret.class).isEmpty());
        assertEquals("secret:ops-admin/pw",
                environment(berthContainer(single(existing, Deployment.class)), existing).get("BERTH_AUTH_ADMIN_PASSWORD"));
    }

    @Test
    void ingressWithTls() {
        List<Object> objects = BerthChart.render("""
                externalURL: https://registry.example.com
                ingress:
                  enabled: true
                  className: nginx
                  annotations:
                    nginx.ingress.kubernetes.io/proxy-body-size: "0"
                  hosts:
                    - host: registry.example.com
                      paths:
                        - path: /
                          pathType: Prefix
                  tls:
                    - secretName: registry-example-com-tls
                      hosts: [registry.example.com]
                """);
        Ingress ingress = single(objects, Ingress.class);
        Service service = single(objects, Service.class);
        assertEquals("nginx", ingress.getSpec().getIngressClassName());
        assertEquals("registry-example-com-tls", ingress.getSpec().getTls().get(0).getSecretName());
        assertEquals(List.of("registry.example.com"), ingress.getSpec().getTls().get(0).getHosts());
        IngressRule rule = ingress.getSpec().getRules().get(0);
        assertEquals("registry.example.com", rule.getHost());
        var backend = rule.getHttp().getPaths().get(0).getBackend().getService();
        assertEquals(service.getMetadata().getName(), backend.getName());
        assertEquals("http", backend.getPort().getName());
        servicePort(service, backend.getPort().getName());
    }

    @Test
    void gatewayApiRoute() {
        List<Object> objects = BerthChart.render("""
                httpRoute:
                  enabled: true
                  parentRefs:
                    - name: public
                      namespace: gateways
                      sectionName: https
                  hostnames: [registry.example.com]
                """);
        HTTPRoute route = single(objects, HTTPRoute.class);
        Service service = single(objects, Service.class);
        assertEquals("public", route.getSpec().getParentRefs().get(0).getName());
        assertEquals("gateways", route.getSpec().getParentRefs().get(0).getNamespace());
        assertEquals("https", route.getSpec().getParentRefs().get(0).getSectionName());
        assertEquals(List.of("registry.example.com"), route.getSpec().getHostnames());
        HTTPRouteRule rule = route.getSpec().getRules().get(0);
        assertEquals("/", rule.getMatches().get(0).getPath().getValue());
        assertEquals(service.getMetadata().getName(), rule.getBackendRefs().get(0).getName());
        assertEquals(servicePort(service, "http").getPort(), rule.getBackendRefs().get(0).getPort());
    }

    @Test
    void serviceMonitorScrapesMetrics() {
        List<Object> objects = BerthChart.render("serviceMonitor:\n  enabled: true\n  labels:\n    release: prometheus\n");
        ServiceMonitor monitor = single(objects, ServiceMonitor.class);
        Service service = single(objects, Service.class);
        assertEquals("prometheus", monitor.getMetadata().getLabels().get("release"));
        assertTrue(service.getMetadata().getLabels().entrySet()
                        .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()),
                "the ServiceMonitor selects the Service");
        Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);
        assertEquals("/q/metrics", endpoint.getPath());
        servicePort(service, endpoint.getPort());
        assertEquals("30s", endpoint.getInterval());
    }

    @Test
    void tlsSecretServesHttpsFromThePod() {
        List<Object> objects = BerthChart.render("tls:\n  secretName: registry-tls\n");
        Deployment deployment = single(objects, Deployment.class);
        assertDeploysBerth(deployment, objects);
        Container berth = berthContainer(deployment);
        Volume tls = volume(deployment.getSpec().getTemplate().getSpec(), "tls");
        assertEquals("registry-tls", tls.getSecret().getSecretName());
        assertEquals(List.of("tls.crt", "tls.key"), tls.getSecret().getItems().stream().map(item -> item.getKey()).toList());
        String directory = mountPath(berth, "tls");
        Map<String, String> environment = environment(berth, objects);
        assertEquals(directory + "/tls.crt", environment.get("BERTH_TLS_CERT_FILE"));
        assertEquals(directory + "/tls.key", environment.get("BERTH_TLS_KEY_FILE"));
        assertEquals(5443, port(berth, "https"));
        assertEquals("https", servicePort(single(objects, Service.class), "https").getTargetPort().getStrVal());

        List<Object> plain = BerthChart.render("");
        Container plainBerth = berthContainer(single(plain, Deployment.class));
        assertFalse(environment(plainBerth, plain).containsKey("BERTH_TLS_CERT_FILE"));
        assertEquals(1, plainBerth.getPorts().size(), "HTTP only");
    }

    @Test
    void notesSayHowToSignIn() {
        String generated = BerthChart.installNotes("");
        assertTrue(generated.contains("kubectl --namespace berth logs deployment/" + FULLNAME), generated);
        assertTrue(generated.contains("port-forward service/" + FULLNAME + " 5000:5000"), generated);
        assertTrue(generated.contains("helm registry login localhost:5000 --username admin"), generated);

        String given = BerthChart.installNotes("externalURL: https://registry.example.com\n"
                + "admin:\n  existingSecret: ops-admin\n");
        assertTrue(given.contains("get secret ops-admin -o jsonpath='{.data.password}' | base64 -d"), given);
        assertTrue(given.contains("helm registry login registry.example.com --username admin"), given);
        assertTrue(given.contains("https://registry.example.com/api/v1/swagger-ui"), given);
    }
}
