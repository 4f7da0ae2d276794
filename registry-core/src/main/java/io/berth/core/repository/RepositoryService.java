package io.berth.core.repository;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.auth.RepositoryFilter;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.gc.BlobReviews;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.BlobStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Repositories as administrators manage them: created explicitly (or by a first push), listed,
 * described, made read-only, deleted. A repository the caller may not pull is answered as absent.
 * Deleting one removes its manifests, tags and links at once; blobs no other repository links become
 * garbage for the collector. Blocking.
 */
@Singleton
public class RepositoryService {
    private static final Logger LOG = Logger.getLogger(RepositoryService.class);
    private static final int MAX_DESCRIPTION = 64 * 1024;
    private static final Set<String> STATES = Set.of("NORMAL", "READ_ONLY");

    private final Database database;
    private final RepositoryRecords repositories;
    private final RepositoryCatalog catalog;
    private final Permissions permissions;
    private final AccessChanges changes;
    private final CacheInvalidations invalidations;
    private final BlobStore store;
    private final BlobReviews blobReviews;

    @Inject
    public RepositoryService(Database database, RepositoryRecords repositories, RepositoryCatalog catalog, Permissions permissions,
            AccessChanges changes, CacheInvalidations invalidations, BlobStore store, BlobReviews blobReviews) {
        this.database = database;
        this.repositories = repositories;
        this.catalog = catalog;
        this.permissions = permissions;
        this.changes = changes;
        this.invalidations = invalidations;
        this.store = store;
        this.blobReviews = blobReviews;
    }

    public RepositoryView create(Principal actor, String namespace, String repository, String visibility, String description) {
        if (namespace == null || repository == null) {
            throw ManagementException.badRequest("namespace and repository are required");
        }
        RepositoryName name = RepositoryName.parse(namespace + "/" + repository);
        String chosenVisibility = requireVisibility(visibility == null ? "private" : visibility);
        requireDescription(description);
        if (!permissions.actions(actor, name).contains(Action.PUSH)) {
            throw ManagementException.forbidden(actor.name() + " may not create repositories in " + namespace);
        }
        return changes.commit(c -> {
            if (repositories.findId(c, name).isPresent()) {
                throw ManagementException.conflict("repository " + name + " already exists");
            }
            long id = repositories.ensure(c, name);
            Statements.update(c, "UPDATE repositories SET visibility = ?, description = ? WHERE id = ?", chosenVisibility, description, id);
            return catalog.find(c, name.value()).orElseThrow();
        });
    }

    public RepositoryCatalog.Page list(Principal actor, RepositoryQuery query) {
        RepositoryFilter visible = permissions.visibleTo(actor);
        RepositoryFilter filter = query.includePublic() ? visible : visible.withoutPublic();
        return database.read(c -> catalog.list(c, filter, query));
    }

    /** The repository, if the caller may pull it. */
    public RepositoryView get(Principal actor, RepositoryName name) {
        permissions.require(actor, name, Action.PULL);
        return database.read(c -> catalog.find(c, name.value())).orElseThrow(() -> missing(name));
    }

    public RepositoryView describe(Principal actor, RepositoryName name, String description) {
        requireDescription(description);
        long id = administered(actor, name);
        return database.transaction(c -> {
            Statements.update(c, "UPDATE repositories SET description = ?, updated_at = now() WHERE id = ?", description, id);
            return catalog.find(c, name.value()).orElseThrow();
        });
    }

    /**
     * {@code NORMAL}, or {@code READ_ONLY}: every change to the repository's content, and deleting it,
     * is refused, for everyone (see {@link Permissions}).
     */
    public RepositoryView changeState(Principal actor, RepositoryName name, String state) {
        if (state == null || !STATES.contains(state)) {
            throw ManagementException.badRequest("state must be NORMAL or READ_ONLY");
        }
        long id = administered(actor, name);
        return changes.commit(c -> {
            Statements.update(c, "UPDATE repositories SET state = ?, updated_at = now() WHERE id = ?", state, id);
            return catalog.find(c, name.value()).orElseThrow();
        });
    }

    /**
     * Deletes the repository and everything in it; its unfinished uploads' data goes too. The blobs
     * it held stay in storage until garbage collection finds no other repository's manifest needs them.
     */
    public void delete(Principal actor, RepositoryName name) {
        long id = administered(actor, name);
        // It deletes all its content too: that needs the delete right, which a read-only repository withholds.
        permissions.require(actor, name, Action.DELETE);
        List<Invalidation> stale = new ArrayList<>(List.of(Invalidation.repository(name.value())));
        List<String> uploads = database.transaction(c -> {
            stale.subList(1, stale.size()).clear();
            stale.addAll(blobReviews.enqueueOfRepository(c, id));
            List<String> ids = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM uploads WHERE repository_id = ?")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            Statements.update(c, "DELETE FROM repositories WHERE id = ?", id);
            invalidations.publish(c, stale.subList(0, 1));
            return ids;
        });
        invalidations.apply(stale);
        for (String upload : uploads) {
            store.abortUpload(upload).onFailure(failure ->
                    LOG.warnf("data of upload %s of deleted repository %s not removed: %s", upload, name, failure.getMessage()));
        }
    }

    /** The repository's id, once the caller is known to administer it (404 when they may not even see it). */
    public long administered(Principal actor, RepositoryName name) {
        permissions.require(actor, name, Action.ADMIN);
        return database.read(c -> repositories.findId(c, name)).orElseThrow(() -> missing(name));
    }

    private static String requireVisibility(String visibility) {
        if (!"public".equals(visibility) && !"private".equals(visibility)) {
            throw ManagementException.badRequest("visibility must be public or private");
        }
        return visibility;
    }

    private static void requireDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ManagementException.badRequest("description is longer than " + MAX_DESCRIPTION + " characters");
        }
    }

    private static ManagementException missing(RepositoryName name) {
        return ManagementException.notFound("no repository " + name);
    }
}
