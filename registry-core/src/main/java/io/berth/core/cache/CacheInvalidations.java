package io.berth.core.cache;

import io.berth.core.auth.AuthCaches;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Keeps every node's caches consistent with PostgreSQL. A write publishes its invalidations inside
 * its own transaction with {@code pg_notify}, which PostgreSQL delivers to every listening node only
 * if and when the transaction commits; the writing node also applies them at once after commit.
 */
@Singleton
public class CacheInvalidations {
    /** The PostgreSQL notification channel every node listens on. */
    public static final String CHANNEL = "berth_cache_invalidation";

    private final ManifestCache manifests;
    private final BlobLinkCache blobLinks;
    private final AuthCaches auth;

    @Inject
    public CacheInvalidations(ManifestCache manifests, BlobLinkCache blobLinks, AuthCaches auth) {
        this.manifests = manifests;
        this.blobLinks = blobLinks;
        this.auth = auth;
    }

    /** Announces the invalidations to all nodes when {@code transaction} commits. */
    public void publish(Connection transaction, Collection<Invalidation> invalidations) throws SQLException {
        if (invalidations.isEmpty()) {
            return;
        }
        try (PreparedStatement notify = transaction.prepareStatement("SELECT count(pg_notify(?, p)) FROM unnest(?::text[]) p")) {
            notify.setString(1, CHANNEL);
            notify.setArray(2, transaction.createArrayOf("text", invalidations.stream().map(Invalidation::encode).toArray()));
            notify.executeQuery().close();
        }
    }

    public void apply(Collection<Invalidation> invalidations) {
        invalidations.forEach(this::apply);
    }

    public void apply(Invalidation invalidation) {
        if (invalidation.kind() == Invalidation.Kind.AUTH) {
            auth.clear();
            return;
        }
        if (invalidation.kind() == Invalidation.Kind.BLOB) {
            blobLinks.invalidateDigest(invalidation.key());
            return;
        }
        if (!RepositoryName.isValid(invalidation.repository())) {
            return;
        }
        RepositoryName repository = RepositoryName.parse(invalidation.repository());
        switch (invalidation.kind()) {
            case MANIFEST -> manifests.invalidate(repository, invalidation.key());
            case AUTH -> auth.clear();
            case REPOSITORY -> {
                manifests.invalidateRepository(repository);
                blobLinks.invalidateRepository(repository);
                auth.clear();
            }
            case BLOB_LINK -> {
                try {
                    blobLinks.invalidate(repository, Digest.parse(invalidation.key()));
                } catch (RuntimeException malformed) {
                    // not a digest: nothing of ours is cached under it
                }
            }
        }
    }

    /** Drops everything: after a window in which notifications may have been missed. */
    public void clearAll() {
        manifests.clear();
        blobLinks.clear();
        auth.clear();
    }
}
