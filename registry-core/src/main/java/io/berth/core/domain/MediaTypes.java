package io.berth.core.domain;

/** The manifest media types the registry understands structurally. Any other config or artifact type is accepted as data. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    private MediaTypes() {
    }

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return isIndex(mediaType) || isImageManifest(mediaType);
    }

    /**
     * Layers that registries are not expected to hold: Docker foreign layers and OCI non-distributable
     * layers point at external URLs, so their absence from the repository is not an error.
     */
    public static boolean isExternalLayer(String mediaType) {
        return mediaType != null && (mediaType.startsWith("application/vnd.docker.image.rootfs.foreign.")
                || mediaType.startsWith("application/vnd.oci.image.layer.nondistributable."));
    }
}
