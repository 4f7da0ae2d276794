package io.berth.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict reading the chart and manifest tests rely on: a field the model does not know fails. */
class KubernetesObjectsTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: berth
            spec:
              replicas: 2
              selector:
                matchLabels: {app: berth}
              template:
                metadata:
                  labels: {app: berth}
                spec:
                  containers:
                    - name: berth
                      image: berth
                      %s
                      securityContext:
                        %s: true
            """;

    @Test
    void knownFieldsAreRead() {
        List<Object> objects = KubernetesObjects.parse(DEPLOYMENT.formatted("readinessProbe: {httpGet: {path: /q/health/ready, port: 5000}}",
                "readOnlyRootFilesystem"));
        Deployment deployment = KubernetesObjects.single(objects, Deployment.class);
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals("/q/health/ready", deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getReadinessProbe().getHttpGet().getPath());
    }

    @Test
    void aMisspelledFieldFailsWithItsPath() {
        AssertionError misspelled = assertThrows(AssertionError.class, () -> KubernetesObjects.parse(
                DEPLOYMENT.formatted("readinesProbe: {httpGet: {path: /q/health/ready, port: 5000}}", "readOnlyRootFilesystem")));
        assertTrue(misspelled.getMessage().contains("Deployment/berth.spec.template.spec.containers[0].readinesProbe"),
                misspelled.getMessage());

        AssertionError nested = assertThrows(AssertionError.class, () -> KubernetesObjects.parse(
                DEPLOYMENT.formatted("", "readOnlyRootFileSystem")));
        assertTrue(nested.getMessage().contains("containers[0].securityContext.readOnlyRootFileSystem"), nested.getMessage());
    }

    @Test
    void unknownFieldsInCustomResourcesFailToo() {
        AssertionError monitor = assertThrows(AssertionError.class, () -> KubernetesObjects.parse("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: berth}
                spec:
                  selector: {matchLabels: {app: berth}}
                  endpoints:
                    - port: http
                      metricsPath: /q/metrics
                """));
        assertTrue(monitor.getMessage().contains("ServiceMonitor/berth.spec.endpoints[0].metricsPath"), monitor.getMessage());
    }

    @Test
    void kindsWithoutAModelAreRefused() {
        AssertionError unknown = assertThrows(AssertionError.class, () -> KubernetesObjects.parse(
                "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: old}\n"));
        assertTrue(unknown.getMessage().contains("apps/v1beta1/Deployment"), unknown.getMessage());
    }
}
