package io.berth.api.testing;

import io.berth.api.testing.Content;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes OCI image layouts from generated layers, offline: real gzip'd tar layers with matching
 * diff_ids, so clients that unpack (containerd, podman) accept them.
 */
public final class OciLayout {
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private final Path root;
    private final List<JsonObject> references = new ArrayList<>();

    public OciLayout(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("blobs/sha256"));
            Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a single-platform image under {@code tag}; returns its manifest digest. */
    public String addImage(String tag, String architecture, int layers, int layerSize) {
        JsonObject manifest = image(architecture, layers, layerSize);
        references.add(manifest.copy().put("annotations", new JsonObject().put("org.opencontainers.image.ref.name", tag)));
        writeIndexJson();
        return manifest.getString("digest");
    }

    /**
     * Adds a single-platform image whose layers hold the given files (the same file always makes the
     * same layer, so images built from shared files share layers); returns its manifest digest.
     */
    public String addImage(String tag, String architecture, List<byte[]> layerFiles) {
        List<String> names = layerFiles.stream().map(file -> "file-" + Content.sha256(file).substring(7, 19)).toList();
        JsonObject manifest = image(architecture, layerFiles, names);
        references.add(manifest.copy().put("annotations", new JsonObject().put("org.opencontainers.image.ref.name", tag)));
        writeIndexJson();
        return manifest.getString("digest");
    }

    /** Adds a multi-platform index under {@code tag}; returns the index digest. */
    public String addIndex(String tag, List<String> architectures, int layerSize) {
        JsonArray children = new JsonArray();
        for (String architecture : architectures) {
            children.add(image(architecture, 2, layerSize)
                    .put("platform", new JsonObject().put("architecture", architecture).put("os", "linux")));
        }
        byte[] index = new JsonObject().put("schemaVersion", 2).put("mediaType", INDEX).put("manifests", children)
                .encode().getBytes(StandardCharsets.UTF_8);
        JsonObject descriptor = blob(INDEX, index);
        references.add(descriptor.copy().put("annotations", new JsonObject().put("org.opencontainers.image.ref.name", tag)));
        writeIndexJson();
        return descriptor.getString("digest");
    }

    /** The image reference form skopeo understands: {@code oci:<dir>:<tag>}. */
    public String reference(String tag) {
        return "oci:" + root + ":" + tag;
    }

    private JsonObject image(String architecture, int layers, int layerSize) {
        List<byte[]> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            files.add(Content.random(layerSize));
            names.add("layer-" + architecture + "-" + i + ".bin");
        }
        return image(architecture, files, names);
    }

    /** An image whose layer {@code i} is a tar holding {@code layerFiles[i]} under {@code names[i]}. */
    private JsonObject image(String architecture, List<byte[]> layerFiles, List<String> names) {
        JsonArray layerDescriptors = new JsonArray();
        JsonArray diffIds = new JsonArray();
        for (int i = 0; i < layerFiles.size(); i++) {
            byte[] tar = tar(names.get(i), layerFiles.get(i));
            diffIds.add(Content.sha256(tar));
            layerDescriptors.add(blob(LAYER, gzip(tar)));
        }
        JsonObject config = new JsonObject()
                .put("architecture", architecture)
                .put("os", "linux")
                .put("created", "2026-01-01T00:00:00Z")
                .put("config", new JsonObject().put("Cmd", new JsonArray().add("/bin/true")))
                .put("rootfs", new JsonObject().put("type", "layers").put("diff_ids", diffIds));
        byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", MANIFEST)
                .put("config", blob(CONFIG, config.encode().getBytes(StandardCharsets.UTF_8)))
                .put("layers", layerDescriptors)
                .encode().getBytes(StandardCharsets.UTF_8);
        return blob(MANIFEST, manifest);
    }

    private JsonObject blob(String mediaType, byte[] content) {
        String digest = Content.sha256(content);
        try {
            Files.write(root.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new JsonObject().put("mediaType", mediaType).put("digest", digest).put("size", content.length);
    }

    private void writeIndexJson() {
        JsonObject index = new JsonObject().put("schemaVersion", 2).put("manifests", new JsonArray(new ArrayList<>(references)));
        try {
            Files.writeString(root.resolve("index.json"), index.encode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] tar(String fileName, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry(fileName);
            entry.setSize(content.length);
            entry.setMode(0644);
            entry.setModTime(0L);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
