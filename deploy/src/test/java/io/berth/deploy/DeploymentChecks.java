package io.berth.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What every Berth Deployment must get right, whether from the chart or the plain manifests. */
final class DeploymentChecks {
    private DeploymentChecks() {
    }

    static Container berthContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    /**
     * Probes on Berth's health endpoints, a non-root read-only container with scratch space and the
     * data volume, resources, the ConfigMap it reads, and only settings Berth has.
     */
    static void assertDeploysBerth(Deployment deployment, List<Object> objects) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container berth = berthContainer(deployment);
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(),
                subset(deployment.getSpec().getTemplate().getMetadata().getLabels(),
                        deployment.getSpec().getSelector().getMatchLabels().keySet()),
                "the selector matches the pod's labels");

        assertEquals(5000, port(berth, "http"));
        assertHttpProbe(berth.getLivenessProbe(), "/q/health/live");
        assertHttpProbe(berth.getReadinessProbe(), "/q/health/ready");
        assertHttpProbe(berth.getStartupProbe(), "/q/health/started");

        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(1001L, pod.getSecurityContext().getRunAsUser());
        assertEquals(1001L, pod.getSecurityContext().getFsGroup(), "the data volume is writable by the user");
        assertEquals(Boolean.TRUE, berth.getSecurityContext().getRunAsNonRoot());
        assertEquals(Boolean.TRUE, berth.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, berth.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), berth.getSecurityContext().getCapabilities().getDrop());

        assertEquals("/data", mountPath(berth, "data"));
        assertEquals("/tmp", mountPath(berth, "tmp"));
        assertNotNull(volume(pod, "tmp").getEmptyDir(), "/tmp is scratch space");
        assertNotNull(volume(pod, "data"));
        assertEquals("/data", environment(berth, objects).get("BERTH_DATA_DIR"), "berth.data-dir is the data volume");

        assertNotNull(berth.getResources().getRequests().get("memory"));
        assertNotNull(berth.getResources().getRequests().get("cpu"));
        assertEquals(berth.getResources().getRequests().get("memory"), berth.getResources().getLimits().get("memory"),
                "memory limit equals the request: the JVM's footprint is fixed by its options");

        Set<String> unknown = new TreeSet<>(environment(berth, objects).keySet());
        unknown.removeAll(BerthSettings.environmentNames());
        assertEquals(Set.of(), unknown, "environment variables Berth does not read");
    }

    /** The container's environment: its ConfigMaps' entries (which must exist among {@code objects}), then its own. */
    static Map<String, String> environment(Container container, List<Object> objects) {
        Map<String, String> environment = new HashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            String name = source.getConfigMapRef().getName();
            ConfigMap configMap = KubernetesObjects.ofType(objects, ConfigMap.class).stream()
                    .filter(candidate -> candidate.getMetadata().getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
            environment.putAll(configMap.getData());
        }
        for (EnvVar variable : container.getEnv()) {
            environment.put(variable.getName(), variable.getValueFrom() == null ? variable.getValue()
                    : "secret:" + variable.getValueFrom().getSecretKeyRef().getName() + "/"
                            + variable.getValueFrom().getSecretKeyRef().getKey());
        }
        return environment;
    }

    static void assertHttpProbe(Probe probe, String path) {
        assertNotNull(probe, "probe on " + path);
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("http", probe.getHttpGet().getPort().getStrVal());
    }

    static int port(Container container, String name) {
        return container.getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + name)).getContainerPort();
    }

    static ServicePort servicePort(Service service, String name) {
        return service.getSpec().getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no service port " + name));
    }

    static String mountPath(Container container, String volume) {
        return container.getVolumeMounts().stream().filter(mount -> volume.equals(mount.getName()))
                .map(VolumeMount::getMountPath).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + volume));
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(volume -> name.equals(volume.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The Service selects the Deployment's pods and sends port http to the container's http port. */
    static void assertServes(Service service, Deployment deployment) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                "the Service selects the pods");
        assertEquals("http", servicePort(service, "http").getTargetPort().getStrVal());
    }

    private static Map<String, String> subset(Map<String, String> labels, Set<String> keys) {
        Map<String, String> subset = new HashMap<>(labels);
        subset.keySet().retainAll(keys);
        return subset;
    }
}
