package io.berth.core.repository;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.auth.RepositoryFilter;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.gc.BlobReviews;
import io.berth.core.immutability.ImmutabilityService;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ModelSessions;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.Statements;
import io.berth.core.storage.BlobStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Repositories as administrators manage them: created explicitly (or by a first push), listed,
 * described, made read-only, deleted. A repository the caller may not pull is answered as absent.
 * Deleting one removes its manifests, tags and links at once; blobs no other repository links become
 * garbage for the collector. Creating and deleting touch the content, in SQL; description and state
 * are {@link RepositorySettings}.
 */
@Singleton
public class RepositoryService {
    private static final Logger LOG = Logger.getLogger(RepositoryService.class);
    private static final int MAX_DESCRIPTION = 64 * 1024;
    private static final Set<String> STATES = Set.of("NORMAL", "READ_ONLY");

    private final Database database;
    private final ModelSessions sessions;
    private final RepositoryRecords repositories;
    private final RepositoryCatalog catalog;
    private final Permissions permissions;
    private final AccessChanges changes;
    private final CacheInvalidations invalidations;
    private final BlobStore store;
    private final BlobReviews blobReviews;
    private final ImmutabilityService immutability;

    @Inject
    public RepositoryService(Database database, ModelSessions sessions, RepositoryRecords repositories, RepositoryCatalog catalog,
            Permissions permissions, AccessChanges changes, CacheInvalidations invalidations, BlobStore store, BlobReviews blobReviews,
            ImmutabilityService immutability) {
        this.database = database;
        this.sessions = sessions;
        this.repositories = repositories;
        this.catalog = catalog;
        this.permissions = permissions;
        this.changes = changes;
        this.invalidations = invalidations;
        this.store = store;
        this.blobReviews = blobReviews;
        this.immutability = immutability;
    }

    public Future<RepositoryView> create(Principal actor, String namespace, String repository, String visibility, String description) {
        return Futures.attempt(() -> {
            if (namespace == null || repository == null) {
                throw ManagementException.badRequest("namespace and repository are required");
            }
            RepositoryName name = RepositoryName.parse(namespace + "/" + repository);
            String chosenVisibility = requireVisibility(visibility == null ? "private" : visibility);
            requireDescription(description);
            return permissions.actions(actor, name).compose(allowed -> {
                if (!allowed.contains(Action.PUSH)) {
                    throw ManagementException.forbidden(actor.name() + " may not create repositories in " + namespace);
                }
                return changes.commit(c -> repositories.findId(c, name).compose(existing -> {
                    if (existing.isPresent()) {
                        throw ManagementException.conflict("repository " + name + " already exists");
                    }
                    return repositories.ensure(c, name);
                }).compose(id -> Statements.update(c, "UPDATE repositories SET visibility = $1, description = $2 WHERE id = $3",
                        chosenVisibility, description, id)).compose(updated -> catalog.find(c, name.value())).map(found -> found.orElseThrow()));
            });
        });
    }

    public Future<RepositoryCatalog.Page> list(Principal actor, RepositoryQuery query) {
        return permissions.visibleTo(actor).compose(visible -> {
            RepositoryFilter filter = query.includePublic() ? visible : visible.withoutPublic();
            return database.read(c -> catalog.list(c, filter, query));
        });
    }

    /** The repository, if the caller may pull it. */
    public Future<RepositoryView> get(Principal actor, RepositoryName name) {
        return permissions.require(actor, name, Action.PULL)
                .compose(allowed -> database.read(c -> catalog.find(c, name.value())))
                .map(found -> found.orElseThrow(() -> missing(name)));
    }

    public Future<RepositoryView> describe(Principal actor, RepositoryName name, String description) {
        return Futures.attempt(() -> {
            requireDescription(description);
            return permissions.require(actor, name, Action.ADMIN).compose(allowed -> sessions.transaction(session ->
                    change(session, name, "description", description)));
        });
    }

    /**
     * {@code NORMAL}, or {@code READ_ONLY}: every change to the repository's content, and deleting it,
     * is refused, for everyone (see {@link Permissions}).
     */
    public Future<RepositoryView> changeState(Principal actor, RepositoryName name, String state) {
        if (state == null || !STATES.contains(state)) {
            return Future.failedFuture(ManagementException.badRequest("state must be NORMAL or READ_ONLY"));
        }
        // What the state allows is cached with everyone's permissions: the change reaches every node's caches.
        return permissions.require(actor, name, Action.ADMIN).compose(allowed -> changes.commitModel(session ->
                change(session, name, "state", state)));
    }

    /**
     * Sets one setting of the repository and answers the repository as it is then. The update sets
     * {@code updated_at} from the database's clock, as every change of content does, so that the
     * last change shown is in one time base.
     */
    private Uni<RepositoryView> change(Mutiny.Session session, RepositoryName name, String setting, String value) {
        return session.createMutationQuery("update RepositorySettings s set s." + setting + " = :value, s.updatedAt = current_instant"
                        + " where s.name = :name")
                .setParameter("value", value).setParameter("name", name.value()).executeUpdate()
                .chain(updated -> {
                    if (updated == 0) {
                        throw missing(name);
                    }
                    return catalog.find(session, name.value());
                })
                .map(found -> found.orElseThrow(() -> missing(name)));
    }

    /**
     * Deletes the repository and everything in it; its unfinished uploads' data goes too. The blobs
     * it held stay in storage until garbage collection finds no other repository's manifest needs them.
     */
    public Future<Void> delete(Principal actor, RepositoryName name) {
        // It deletes all its content too: that needs the delete right, which a read-only repository withholds.
        return administered(actor, name).compose(id -> permissions.require(actor, name, Action.DELETE).map(allowed -> id))
                .compose(id -> deleteContent(name, id));
    }

    private Future<Void> deleteContent(RepositoryName name, long id) {
        List<Invalidation> stale = new ArrayList<>(List.of(Invalidation.repository(name.value())));
        return database.transaction(c -> {
            stale.subList(1, stale.size()).clear();
            return immutability.requireNoImmutableTags(c, id).compose(deletable -> blobReviews.enqueueOfRepository(c, id)).compose(released -> {
                stale.addAll(released);
                return c.preparedQuery("SELECT id FROM uploads WHERE repository_id = $1").execute(Tuple.of(id));
            }).compose(rows -> {
                List<String> ids = new ArrayList<>();
                for (Row row : rows) {
                    ids.add(row.getUUID(0).toString());
                }
                return Statements.update(c, "DELETE FROM repositories WHERE id = $1", id)
                        .compose(deleted -> invalidations.publish(c, stale.subList(0, 1)))
                        .map(published -> ids);
            });
        }).map(uploads -> {
            invalidations.apply(stale);
            for (String upload : uploads) {
                store.abortUpload(upload).onFailure(failure ->
                        LOG.warnf("data of upload %s of deleted repository %s not removed: %s", upload, name, failure.getMessage()));
            }
            return null;
        });
    }

    /** The repository's id, once the caller is known to administer it (404 when they may not even see it). */
    public Future<Long> administered(Principal actor, RepositoryName name) {
        return permissions.require(actor, name, Action.ADMIN)
                .compose(allowed -> database.read(c -> repositories.findId(c, name)))
                .map(found -> found.orElseThrow(() -> missing(name)));
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
