package io.berth.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.protocol.manifest.ManifestReferencedException;
import io.berth.core.protocol.manifest.ManifestService;
import io.berth.core.storage.BlobStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * A repository's images (manifests) as administrators see them: listed with tags, platform, size
 * and layers, looked up, and deleted by digest with their tags. An image's platform comes from its
 * config blob, read from storage the first time it is listed and then kept with the manifest.
 * Blocking.
 */
@Singleton
public class ImageService {
    private static final Logger LOG = Logger.getLogger(ImageService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Configs are small; anything larger is not read for its platform. */
    private static final int MAX_CONFIG_BYTES = 1024 * 1024;
    private static final long READ_TIMEOUT_SECONDS = 30;

    private final Database database;
    private final RepositoryRecords repositories;
    private final ManifestRecords manifests;
    private final ImageCatalog catalog;
    private final ManifestService manifestService;
    private final Permissions permissions;
    private final BlobStore store;

    @Inject
    public ImageService(Database database, RepositoryRecords repositories, ManifestRecords manifests, ImageCatalog catalog,
            ManifestService manifestService, Permissions permissions, BlobStore store) {
        this.database = database;
        this.repositories = repositories;
        this.manifests = manifests;
        this.catalog = catalog;
        this.manifestService = manifestService;
        this.permissions = permissions;
        this.store = store;
    }

    /** A page, with the repository's image count and how many of them the search matches. */
    public record Page(List<ImageView> images, long totalCount, long filteredCount) {
    }

    public Page list(Principal actor, RepositoryName name, String search, int limit, int offset) {
        permissions.require(actor, name, Action.PULL);
        ImageCatalog.Page page = database.read(c -> catalog.list(c, existing(c, name), search, limit, offset));
        List<ImageView> images = new ArrayList<>();
        for (ImageCatalog.Row row : page.rows()) {
            images.add(view(row));
        }
        return new Page(images, page.totalCount(), page.filteredCount());
    }

    /** One image, by digest. */
    public ImageView get(Principal actor, RepositoryName name, String digest) {
        permissions.require(actor, name, Action.PULL);
        Digest parsed = Digest.parse(digest);
        return view(database.read(c -> catalog.find(c, existing(c, name), parsed.toString()))
                .orElseThrow(() -> ManagementException.notFound("no manifest " + parsed + " in " + name)));
    }

    /** The layers of the image a digest or a tag names. */
    public List<ImageView.Layer> layers(Principal actor, RepositoryName name, String reference) {
        permissions.require(actor, name, Action.PULL);
        String digest = database.read(c -> {
            long repositoryId = existing(c, name);
            if (Tag.isValid(reference)) {
                return manifests.byTag(c, repositoryId, reference).map(manifest -> manifest.digest().toString())
                        .orElseThrow(() -> ManagementException.notFound("no tag " + reference + " in " + name));
            }
            return Digest.parse(reference).toString();
        });
        return get(actor, name, digest).layers();
    }

    /** Deletes the image and its tags, unless another manifest still references it (409). Answers the tags that went. */
    public List<String> delete(Principal actor, RepositoryName name, String digest) {
        permissions.require(actor, name, Action.DELETE);
        Digest parsed = Digest.parse(digest);
        try {
            return manifestService.deleteUnreferenced(name, parsed, Set.of());
        } catch (ManifestReferencedException referenced) {
            throw ManagementException.conflict("Image is referenced by another manifest (" + referenced.referencedBy() + ")");
        } catch (RegistryException unknown) {
            throw ManagementException.notFound("no manifest " + parsed + " in " + name);
        }
    }

    private ImageView view(ImageCatalog.Row row) {
        JsonNode manifest = parse(row.payload());
        List<ImageView.Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(new ImageView.Layer(layer.path("digest").asText(null), layer.path("size").asLong(), layer.path("mediaType").asText(null)));
        }
        List<ImageView.Platform> platforms = new ArrayList<>();
        for (JsonNode child : manifest.path("manifests")) {
            JsonNode platform = child.path("platform");
            platforms.add(new ImageView.Platform(child.path("digest").asText(null), platform.path("os").asText(null),
                    platform.path("architecture").asText(null), platform.path("variant").asText(null)));
        }
        String os = row.os();
        String architecture = row.architecture();
        String variant = row.variant();
        if (row.configDigest() != null && !row.configRead()) {
            JsonNode config = readConfig(row);
            if (config != null) {
                os = config.path("os").asText(null);
                architecture = config.path("architecture").asText(null);
                variant = config.path("variant").asText(null);
                String[] found = {os, architecture, variant};
                database.transaction(c -> {
                    catalog.recordPlatform(c, row.id(), found[0], found[1], found[2]);
                    return null;
                });
            }
        }
        return new ImageView(row.digest(), row.mediaType(), row.artifactType(), row.tags(), os, architecture, variant, platforms, row.size(),
                layers, row.createdAt());
    }

    /** The config as JSON; an empty object when it is not JSON or too large; null when storage could not be read now. */
    private JsonNode readConfig(ImageCatalog.Row row) {
        try {
            byte[] bytes = store.read(Digest.parse(row.configDigest()), MAX_CONFIG_BYTES).toCompletionStage().toCompletableFuture()
                    .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).getBytes();
            return parse(bytes);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException) {
                return JSON.createObjectNode();
            }
            LOG.warnf("config %s of %s not read: %s", row.configDigest(), row.digest(), e.getCause().getMessage());
            return null;
        } catch (TimeoutException e) {
            LOG.warnf("config %s of %s not read in time", row.configDigest(), row.digest());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null || !node.isObject() ? JSON.createObjectNode() : node;
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private long existing(Connection c, RepositoryName name) throws SQLException {
        return repositories.findId(c, name).orElseThrow(() -> ManagementException.notFound("no repository " + name));
    }
}
