package io.berth.core.protocol.discovery;

import io.berth.core.domain.Digest;
import io.berth.core.auth.RepositoryFilter;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.OciErrorCode;
import io.berth.core.error.RegistryException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ManifestRecords;
import io.berth.core.metadata.ReferrerRecord;
import io.berth.core.metadata.RepositoryRecords;
import io.berth.core.metadata.TagRecords;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Content discovery: tag listings, the catalog and referrers. Pages are read with keyset pagination
 * ({@code name > last ... LIMIT n + 1}) so a page costs the same however large the repository is.
 */
@Singleton
public class DiscoveryService {
    private final Database database;
    private final RepositoryRecords repositories;
    private final TagRecords tags;
    private final ManifestRecords manifests;

    @Inject
    public DiscoveryService(Database database, RepositoryRecords repositories, TagRecords tags,
            ManifestRecords manifests) {
        this.database = database;
        this.repositories = repositories;
        this.tags = tags;
        this.manifests = manifests;
    }

    public Future<Page> tags(RepositoryName name, String last, int limit) {
        return database.read(c -> existing(c, name)
                .compose(repositoryId -> tags.names(c, repositoryId, last, limit + 1))
                .map(fetched -> page(fetched, limit)));
    }

    /** The catalog as {@code visible} lets the caller see it. */
    public Future<Page> repositories(RepositoryFilter visible, String last, int limit) {
        return database.read(c -> repositories.names(c, visible, last, limit + 1).map(fetched -> page(fetched, limit)));
    }

    /** Referrers of a subject; none (not an error) for a repository or subject the registry does not know. */
    public Future<List<ReferrerRecord>> referrers(RepositoryName name, Digest subject, String artifactType) {
        return database.read(c -> repositories.findId(c, name).compose(repositoryId -> repositoryId.isEmpty()
                ? Future.succeededFuture(List.of())
                : manifests.referrers(c, repositoryId.get(), subject, artifactType)));
    }

    private Future<Long> existing(SqlConnection c, RepositoryName name) {
        return repositories.findId(c, name).map(found -> found.orElseThrow(() -> new RegistryException(OciErrorCode.NAME_UNKNOWN,
                "repository " + name + " not known")));
    }

    private static Page page(List<String> fetched, int limit) {
        boolean hasMore = fetched.size() > limit;
        return new Page(hasMore ? fetched.subList(0, limit) : fetched, hasMore);
    }
}
