package io.berth.deploy;

import static io.berth.deploy.DeploymentChecks.assertDeploysBerth;
import static io.berth.deploy.DeploymentChecks.assertServes;
import static io.berth.deploy.DeploymentChecks.berthContainer;
import static io.berth.deploy.DeploymentChecks.environment;
import static io.berth.deploy.DeploymentChecks.volume;
import static io.berth.deploy.KubernetesObjects.ofType;
import static io.berth.deploy.KubernetesObjects.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes: each folder is one installation (kubectl apply -k), read strictly into the Kubernetes model. */
class PlainManifestsTest {

    @Test
    void embeddedRunsOneReplicaOnAClaim() throws IOException {
        List<Object> objects = folder("embedded");
        Deployment deployment = single(objects, Deployment.class);
        assertDeploysBerth(deployment, objects);
        assertServes(single(objects, Service.class), deployment);
        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType());
        PersistentVolumeClaim claim = single(objects, PersistentVolumeClaim.class);
        assertEquals(claim.getMetadata().getName(),
                volume(deployment.getSpec().getTemplate().getSpec(), "data").getPersistentVolumeClaim().getClaimName());
        Map<String, String> environment = environment(berthContainer(deployment), objects);
        assertEquals("fs", environment.get("BERTH_STORAGE_TYPE"));
        assertEquals("secret:berth-admin/password", environment.get("BERTH_AUTH_ADMIN_PASSWORD"));
        assertTrue(!environment.containsKey("QUARKUS_DATASOURCE_JDBC_URL"), "the embedded database");
        assertNotNull(single(objects, PodDisruptionBudget.class));
    }

    @Test
    void s3WithExternalPostgresRunsSeveralReplicas() throws IOException {
        List<Object> objects = folder("s3-postgres");
        Deployment deployment = single(objects, Deployment.class);
        assertDeploysBerth(deployment, objects);
        assertServes(single(objects, Service.class), deployment);
        assertTrue(deployment.getSpec().getReplicas() >= 2);
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        assertTrue(ofType(objects, PersistentVolumeClaim.class).isEmpty());
        assertNotNull(volume(deployment.getSpec().getTemplate().getSpec(), "data").getEmptyDir());
        Map<String, String> environment = environment(berthContainer(deployment), objects);
        assertEquals("s3", environment.get("BERTH_STORAGE_TYPE"));
        assertNotNull(environment.get("BERTH_STORAGE_S3_BUCKET"));
        assertTrue(environment.get("QUARKUS_DATASOURCE_JDBC_URL").startsWith("jdbc:postgresql://"));
        assertEquals("secret:berth-database/password", environment.get("QUARKUS_DATASOURCE_PASSWORD"));
        assertEquals("secret:berth-s3/access-key-id", environment.get("BERTH_STORAGE_S3_ACCESS_KEY_ID"));
        assertEquals("secret:berth-s3/secret-access-key", environment.get("BERTH_STORAGE_S3_SECRET_ACCESS_KEY"));
        assertEquals("secret:berth-admin/password", environment.get("BERTH_AUTH_ADMIN_PASSWORD"));
        assertEquals(1, single(objects, PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal());
    }

    /** The objects of every file the folder's kustomization lists; it must list every file there. */
    private static List<Object> folder(String name) throws IOException {
        Path folder = DeployFiles.manifests().resolve(name);
        Kustomization kustomization = single(KubernetesObjects.parse(Files.readString(folder.resolve("kustomization.yaml"))),
                Kustomization.class);
        List<String> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.map(path -> path.getFileName().toString())
                    .filter(file -> file.endsWith(".yaml") && !file.equals("kustomization.yaml")).sorted().toList();
        }
        assertEquals(files, kustomization.getResources().stream().sorted().toList(), "the kustomization lists every file");
        List<Object> objects = new ArrayList<>();
        for (String file : files) {
            objects.addAll(KubernetesObjects.parse(Files.readString(folder.resolve(file))));
        }
        return objects;
    }
}
