package io.berth.deploy;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** The chart in deploy/helm/berth, rendered by Helm's own code (helm-java) with the values given. */
final class BerthChart {
    static final String RELEASE = "registry";
    static final String NAMESPACE = "berth";
    /** The name the chart gives the release's objects. */
    static final String FULLNAME = "registry-berth";

    private BerthChart() {
    }

    /** The rendered manifests for {@code valuesYaml} (a values file's text), as {@code helm template} prints them. */
    static String template(String valuesYaml) {
        return withValuesFile(valuesYaml, values -> new Helm(DeployFiles.chart()).template().withName(RELEASE)
                .withNamespace(NAMESPACE).withValuesFile(values).call());
    }

    /** What {@code helm install} prints for {@code valuesYaml}: a client-only dry run, NOTES.txt included. */
    static String installNotes(String valuesYaml) {
        return withValuesFile(valuesYaml, values -> new Helm(DeployFiles.chart()).install().withName(RELEASE)
                .withNamespace(NAMESPACE).withValuesFile(values).clientOnly().dryRun().call().getOutput());
    }

    /** Runs {@code helm} on {@code valuesYaml} written to a values file, which is removed afterwards. */
    private static String withValuesFile(String valuesYaml, Function<Path, String> helm) {
        Path values = null;
        try {
            values = Files.createTempFile("berth-values-", ".yaml");
            Files.writeString(values, valuesYaml);
            return helm.apply(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (values != null) {
                values.toFile().delete();
            }
        }
    }

    /** Every object the chart renders with {@code valuesYaml}, read strictly into the Kubernetes model. */
    static List<Object> render(String valuesYaml) {
        return KubernetesObjects.parse(template(valuesYaml));
    }
}
