package io.berth.core.cache;

import io.berth.core.auth.AuthCaches;
import io.berth.core.domain.Digest;
import io.berth.core.domain.RepositoryName;
import io.berth.core.immutability.ImmutabilityRuleCache;
import io.berth.core.quota.RejectLimitCache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Keeps every node's caches consistent with PostgreSQL. A write publishes its invalidations inside
 * its own transaction with {@code pg_notify}, which PostgreSQL delivers to every listening node only
 * if and when the transaction commits; the writing node also applies them at once after commit.
 * The transaction is either the reactive client's or a Hibernate Reactive session's: the same
 * statement either way.
 */
@Singleton
public class CacheInvalidations {
    /** The PostgreSQL notification channel every node listens on. */
    public static final String CHANNEL = "berth_cache_invalidation";
    /** For the reactive client, which numbers its parameters. */
    private static final String NOTIFY = notification("$1");
    /** For a native query of Hibernate, which finds its parameters by their own markers and numbers them itself. */
    private static final String NOTIFY_IN_SESSION = notification("?1");

    private final ManifestCache manifests;
    private final BlobLinkCache blobLinks;
    private final AuthCaches auth;
    private final ImmutabilityRuleCache immutabilityRules;
    private final RejectLimitCache rejectLimits;

    @Inject
    public CacheInvalidations(ManifestCache manifests, BlobLinkCache blobLinks, AuthCaches auth,
            ImmutabilityRuleCache immutabilityRules, RejectLimitCache rejectLimits) {
        this.manifests = manifests;
        this.blobLinks = blobLinks;
        this.auth = auth;
        this.immutabilityRules = immutabilityRules;
        this.rejectLimits = rejectLimits;
    }

    /** Announces the invalidations to all nodes when {@code transaction} commits. */
    public Future<Void> publish(SqlConnection transaction, Collection<Invalidation> invalidations) {
        if (invalidations.isEmpty()) {
            return Future.succeededFuture();
        }
        return transaction.preparedQuery(NOTIFY).execute(Tuple.tuple().addArrayOfString(payloads(invalidations))).mapEmpty();
    }

    /** Announces the invalidations to all nodes when the transaction of {@code session} commits. */
    public Uni<Void> publish(Mutiny.Session session, Collection<Invalidation> invalidations) {
        if (invalidations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return session.createNativeQuery(NOTIFY_IN_SESSION, Long.class).setParameter(1, payloads(invalidations)).getSingleResult()
                .replaceWithVoid();
    }

    /** One statement for any number of invalidations, {@code payloads} marking its one parameter (a text array). */
    private static String notification(String payloads) {
        return "SELECT count(pg_notify('" + CHANNEL + "', p)) FROM unnest(CAST(" + payloads + " AS text[])) p";
    }

    private static String[] payloads(Collection<Invalidation> invalidations) {
        return invalidations.stream().map(Invalidation::encode).toArray(String[]::new);
    }

    public void apply(Collection<Invalidation> invalidations) {
        invalidations.forEach(this::apply);
    }

    public void apply(Invalidation invalidation) {
        if (invalidation.kind() == Invalidation.Kind.AUTH) {
            auth.clear();
            return;
        }
        if (invalidation.kind() == Invalidation.Kind.IMMUTABILITY) {
            immutabilityRules.clear();
            return;
        }
        if (invalidation.kind() == Invalidation.Kind.BLOB) {
            blobLinks.invalidateDigest(invalidation.key());
            return;
        }
        if (invalidation.kind() == Invalidation.Kind.QUOTA) {
            rejectLimits.invalidate(invalidation.key());
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
        immutabilityRules.clear();
        rejectLimits.clear();
    }
}
