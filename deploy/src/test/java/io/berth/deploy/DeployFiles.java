package io.berth.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment files are, found from wherever the tests run (the module or the checkout root). */
final class DeployFiles {
    private DeployFiles() {
    }

    /** The {@code deploy} folder of this checkout. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("helm/berth/Chart.yaml"))) {
                return dir;
            }
            if (Files.isRegularFile(dir.resolve("deploy/helm/berth/Chart.yaml"))) {
                return dir.resolve("deploy");
            }
        }
        throw new IllegalStateException("no deploy/helm/berth/Chart.yaml above " + Path.of("").toAbsolutePath());
    }

    static Path chart() {
        return root().resolve("helm/berth");
    }

    static Path manifests() {
        return root().resolve("kubernetes");
    }

    /** docs/configuration.md, which names every setting Berth reads. */
    static Path configurationDoc() {
        return root().resolveSibling("docs").resolve("configuration.md");
    }
}
