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
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Content discovery: tag listings, the catalog and referrers. Pages are read with keyset pagination
 * ({@code name > last ... LIMIT n + 1}) so a page costs the same however large the repository is.
 * Blocking: call from a worker thread.
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

    public Page tags(RepositoryName name, String last, int limit) {
        return database.read(c -> {
            long repositoryId = existing(c, name);
            return page(tags.names(c, repositoryId, last, limit + 1), limit);
        });
    }

    /** The catalog as {@code visible} lets the caller see it. */
    public Page repositories(RepositoryFilter visible, String last, int limit) {
        return database.read(c -> page(repositories.names(c, visible, last, limit + 1), limit));
    }

    /** Referrers of a subject; none (not an error) for a repository or subject the registry does not know. */
    public List<ReferrerRecord> referrers(RepositoryName name, Digest subject, String artifactType) {
        return database.read(c -> {
            Optional<Long> repositoryId = repositories.findId(c, name);
            return repositoryId.isEmpty() ? List.of() : manifests.referrers(c, repositoryId.get(), subject, artifactType);
        });
    }

    private long existing(Connection c, RepositoryName name) throws SQLException {
        return repositories.findId(c, name).orElseThrow(() -> new RegistryException(OciErrorCode.NAME_UNKNOWN,
                "repository " + name + " not known"));
    }

    private static Page page(List<String> fetched, int limit) {
        boolean hasMore = fetched.size() > limit;
        return new Page(hasMore ? fetched.subList(0, limit) : fetched, hasMore);
    }
}
