package io.berth.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.domain.Tag;
import io.berth.core.error.ManagementException;
import io.berth.core.error.RegistryException;
import io.berth.core.immutability.ImmutableTagException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.protocol.manifest.ManifestReferencedException;
import io.berth.core.protocol.manifest.ManifestService;
import io.berth.core.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A repository's images (manifests) as administrators see them: listed with tags, platform, size
 * and layers, looked up, and deleted by digest with their tags. An image's platform comes from its
 * config blob, read from storage the first time it is listed and then kept with the manifest.
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
    private final Vertx vertx;

    @Inject
    public ImageService(Database database, RepositoryRecords repositories, ManifestRecords manifests, ImageCatalog catalog,
            ManifestService manifestService, Permissions permissions, BlobStore store, Vertx vertx) {
        this.database = database;
        this.repositories = repositories;
        this.manifests = manifests;
        this.catalog = catalog;
        this.manifestService = manifestService;
        this.permissions = permissions;
        this.store = store;
        this.vertx = vertx;
    }

    /** A page, with the repository's image count and how many of them the search matches. */
    public record Page(List<ImageView> images, long totalCount, long filteredCount) {
    }

    public Future<Page> list(Principal actor, RepositoryName name, String search, ImageCatalog.Order order, int limit, int offset) {
        return permissions.require(actor, name, Action.PULL)
                .compose(allowed -> database.read(c -> existing(c, name).compose(id -> catalog.list(c, id, search, order, limit, offset))))
                // One image after the other: a first listing may read many configs from storage.
                .compose(page -> Futures.sequentially(page.rows(), this::view)
                        .map(images -> new Page(images, page.totalCount(), page.filteredCount())));
    }

    /** One image, by digest. */
    public Future<ImageView> get(Principal actor, RepositoryName name, String digest) {
        return permissions.require(actor, name, Action.PULL).compose(allowed -> {
            Digest parsed = Digest.parse(digest);
            return database.read(c -> existing(c, name).compose(id -> catalog.find(c, id, parsed.toString())))
                    .map(found -> found.orElseThrow(() -> ManagementException.notFound("no manifest " + parsed + " in " + name)))
                    .compose(this::view);
        });
    }

    /**
     * The image with that digest in the repository, its platform read from its config (once, then
     * kept), for callers that have checked the right to pull it themselves; empty when there is none.
     */
    public Future<Optional<ImageView>> find(long repositoryId, Digest digest) {
        return database.read(c -> catalog.find(c, repositoryId, digest.toString()))
                .compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<ImageView>empty())
                        : view(found.get()).map(Optional::of));
    }

    /** The layers of the image a digest or a tag names. */
    public Future<List<ImageView.Layer>> layers(Principal actor, RepositoryName name, String reference) {
        return permissions.require(actor, name, Action.PULL)
                .compose(allowed -> database.read(c -> existing(c, name).compose(repositoryId -> {
                    if (Tag.isValid(reference)) {
                        return manifests.byTag(c, repositoryId, reference).map(manifest -> manifest.map(found -> found.digest().toString())
                                .orElseThrow(() -> ManagementException.notFound("no tag " + reference + " in " + name)));
                    }
                    return Future.succeededFuture(Digest.parse(reference).toString());
                })))
                .compose(digest -> get(actor, name, digest))
                .map(ImageView::layers);
    }

    /** Deletes the image and its tags, unless another manifest still references it (409). Answers the tags that went. */
    public Future<List<String>> delete(Principal actor, RepositoryName name, String digest) {
        return permissions.require(actor, name, Action.DELETE).compose(allowed -> {
            Digest parsed = Digest.parse(digest);
            return manifestService.deleteUnreferenced(name, parsed, Set.of()).recover(failure -> {
                if (failure instanceof ManifestReferencedException referenced) {
                    return Future.failedFuture(ManagementException.conflict("Image is referenced by another manifest ("
                            + referenced.referencedBy() + ")"));
                }
                if (failure instanceof RegistryException && !(failure instanceof ImmutableTagException)) {
                    return Future.failedFuture(ManagementException.notFound("no manifest " + parsed + " in " + name));
                }
                return Future.failedFuture(failure);
            });
        });
    }

    private Future<ImageView> view(ImageCatalog.Row row) {
        if (row.configDigest() == null || row.configRead()) {
            return Future.succeededFuture(view(row, row.os(), row.architecture(), row.variant()));
        }
        return readConfig(row).compose(config -> {
            if (config == null) {
                return Future.succeededFuture(view(row, row.os(), row.architecture(), row.variant()));
            }
            String os = config.path("os").asText(null);
            String architecture = config.path("architecture").asText(null);
            String variant = config.path("variant").asText(null);
            return database.transaction(c -> catalog.recordPlatform(c, row.id(), os, architecture, variant))
                    .map(recorded -> view(row, os, architecture, variant));
        });
    }

    private static ImageView view(ImageCatalog.Row row, String os, String architecture, String variant) {
        JsonNode manifest = parse(row.payload());
        List<ImageView.Layer> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(new ImageView.Layer(layer.path("digest").asText(null), layer.path("size").asLong(), layer.path("mediaType").asText(null)));
        }
        List<ImageView.Platform> platforms = IndexPlatforms.of(manifest);
        return new ImageView(row.digest(), row.mediaType(), row.artifactType(), row.tags(), os, architecture, variant, platforms, row.size(),
                layers, row.createdAt(), row.pullCount(), row.lastPulled());
    }

    /**
     * The config as JSON; an empty object when it is not JSON or too large; null when storage could
     * not be read now (within {@link #READ_TIMEOUT_SECONDS}): the listing answers without it, and a
     * later one tries again.
     */
    private Future<JsonNode> readConfig(ImageCatalog.Row row) {
        Digest digest = Digest.parse(row.configDigest());
        Promise<JsonNode> config = Promise.promise();
        long timer = vertx.setTimer(TimeUnit.SECONDS.toMillis(READ_TIMEOUT_SECONDS), ignored -> {
            if (config.tryComplete(null)) {
                LOG.warnf("config %s of %s not read in time", row.configDigest(), row.digest());
            }
        });
        store.read(digest, MAX_CONFIG_BYTES).onComplete(read -> {
            vertx.cancelTimer(timer);
            if (read.succeeded()) {
                config.tryComplete(parse(read.result().getBytes()));
            } else if (read.cause() instanceof IllegalArgumentException) {
                config.tryComplete(JSON.createObjectNode());
            } else if (config.tryComplete(null)) {
                LOG.warnf("config %s of %s not read: %s", row.configDigest(), row.digest(), read.cause().getMessage());
            }
        });
        return config.future();
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null || !node.isObject() ? JSON.createObjectNode() : node;
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private Future<Long> existing(SqlConnection c, RepositoryName name) {
        return repositories.findId(c, name).map(found -> found.orElseThrow(() -> ManagementException.notFound("no repository " + name)));
    }
}
