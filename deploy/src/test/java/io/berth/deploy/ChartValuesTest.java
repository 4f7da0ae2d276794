package io.berth.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values the chart refuses, through its schema or its own rules, with a message that says what to change. */
class ChartValuesTest {
    private static final String EXTERNAL_DATABASE = """
            database:
              type: external
              external:
                jdbcUrl: jdbc:postgresql://db:5432/berth
                username: berth
                passwordSecret: berth-database
            """;

    @Test
    void embeddedDatabaseRefusesMoreThanOneReplica() {
        assertRefused("replicaCount: 2\n", "database.type=embedded runs PostgreSQL inside the single pod");
        assertRefused("autoscaling:\n  enabled: true\n", "database.type=embedded runs PostgreSQL inside the single pod");
    }

    @Test
    void filesystemBlobsForManyReplicasNeedReadWriteMany() {
        assertRefused(EXTERNAL_DATABASE + "replicaCount: 2\n",
                "storage.type=fs with more than one replica needs a volume every pod can mount");

        List<Object> objects = BerthChart.render(EXTERNAL_DATABASE
                + "replicaCount: 2\nstorage:\n  type: fs\n  fs:\n    accessMode: ReadWriteMany\n    storageClass: nfs\n");
        assertEquals(2, KubernetesObjects.single(objects, Deployment.class).getSpec().getReplicas());
        PersistentVolumeClaim claim = KubernetesObjects.single(objects, PersistentVolumeClaim.class);
        assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes());
        assertEquals("nfs", claim.getSpec().getStorageClassName());
    }

    @Test
    void schemaRefusesUnknownStorageAndDatabaseTypes() {
        assertRefused("storage:\n  type: gcs\n", "storage.type must be one of the following: \"fs\", \"s3\"");
        assertRefused("database:\n  type: mysql\n", "database.type must be one of the following: \"embedded\", \"external\"");
    }

    @Test
    void schemaRequiresTheBucketForS3() {
        assertRefused("storage:\n  type: s3\n", "storage.s3.bucket");
        assertRefused("storage:\n  type: s3\n  s3:\n    endpoint: minio:9000\n    bucket: registry\n", "storage.s3.endpoint: Does not match");
    }

    @Test
    void schemaRequiresConnectionSettingsForAnExternalDatabase() {
        assertRefused("database:\n  type: external\n", "database.external.jdbcUrl");
        assertRefused("database:\n  type: external\n  external:\n    jdbcUrl: postgres://db/berth\n"
                + "    username: berth\n    passwordSecret: db\n", "database.external.jdbcUrl: Does not match");
        assertRefused("database:\n  type: external\n  external:\n    jdbcUrl: jdbc:postgresql://db/berth\n"
                + "    username: berth\n", "database.external.passwordSecret");
    }

    @Test
    void schemaRefusesWrongTypesAndMisspelledKeys() {
        assertRefused("replicaCount: two\n", "replicaCount: Invalid type. Expected: integer");
        assertRefused("replicaCount: 0\n", "replicaCount: Must be greater than or equal to 1");
        assertRefused("replicas: 2\n", "Additional property replicas is not allowed");
        assertRefused("gc:\n  enabled: true\n  reviewdelay: 1h\n", "Additional property reviewdelay is not allowed");
        assertRefused("gc:\n  safetyWindow: an hour\n", "gc.safetyWindow: Does not match");
        assertRefused("externalURL: registry.example.com\n", "externalURL: Does not match");
        assertRefused("storage:\n  fs:\n    accessMode: ReadWriteSometimes\n", "storage.fs.accessMode must be one of");
    }

    @Test
    void aRouteNeedsAParentAndOnlyOneWayIn() {
        assertRefused("httpRoute:\n  enabled: true\n", "httpRoute.parentRefs: Array must have at least 1 items");
        assertRefused("ingress:\n  enabled: true\nhttpRoute:\n  enabled: true\n  parentRefs:\n    - name: gw\n",
                "choose one");
    }

    private static void assertRefused(String values, String expected) {
        Exception refused = assertThrows(Exception.class, () -> BerthChart.template(values), values);
        assertTrue(refused.getMessage() != null && refused.getMessage().contains(expected),
                "expected a message naming " + expected + ", got: " + refused.getMessage());
    }
}
