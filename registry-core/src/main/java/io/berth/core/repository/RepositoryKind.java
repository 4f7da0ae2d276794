package io.berth.core.repository;

/** What a repository holds, named from its newest manifest: an image, a Helm chart, or another artifact. */
final class RepositoryKind {
    private static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";

    private RepositoryKind() {
    }

    static String of(String configMediaType, String artifactType) {
        if (artifactType != null && !artifactType.isEmpty()) {
            return HELM_CONFIG.equals(artifactType) ? "helm_chart" : artifactType;
        }
        if (configMediaType == null || configMediaType.equals("application/vnd.oci.image.config.v1+json")
                || configMediaType.equals("application/vnd.docker.container.image.v1+json")
                || configMediaType.equals("application/vnd.oci.empty.v1+json")) {
            return "image";
        }
        return HELM_CONFIG.equals(configMediaType) ? "helm_chart" : configMediaType;
    }
}
