package io.berth.core.quota;

import io.berth.core.account.Actors;
import io.berth.core.auth.Principal;
import io.berth.core.cache.CacheInvalidations;
import io.berth.core.cache.Invalidation;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.DatabaseFailures;
import io.berth.core.metadata.SqlWork;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * Quotas and their limits, as Quay manages them: one quota per namespace, any number of Warning
 * limits and at most one Reject limit, each at a percentage of the quota. Administrators create,
 * change and delete them; members of an organization (and a user, for their own namespace) read
 * them. A change commits with a notification that drops every node's cached Reject limit of the
 * namespace.
 */
@Singleton
public class QuotaService {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database database;
    private final QuotaRecords records;
    private final CacheInvalidations invalidations;

    @Inject
    public QuotaService(Database database, QuotaRecords records, CacheInvalidations invalidations) {
        this.database = database;
        this.records = records;
        this.invalidations = invalidations;
    }

    /** The namespace's quotas: none or one. */
    public Future<List<QuotaView>> list(Principal actor, QuotaOwner owner) {
        return read(actor, owner, (c, namespaceId) -> records.quotaOf(c, namespaceId).compose(quota -> quota.isEmpty()
                ? Future.succeededFuture(List.<QuotaView>of())
                : view(c, quota.get()).map(List::of)));
    }

    public Future<QuotaView> create(Principal actor, QuotaOwner owner, Long limitBytes) {
        return Futures.attempt(() -> {
            long limit = requireLimitBytes(limitBytes);
            return write(actor, owner, (c, namespaceId) -> records.insertQuota(c, namespaceId, limit)
                    .map(id -> id.orElseThrow(() -> ManagementException.conflict("namespace " + owner.namespace()
                            + " has a quota already; change it, or delete it first")))
                    .compose(id -> quota(c, namespaceId, String.valueOf(id)))
                    .compose(quota -> view(c, quota)));
        });
    }

    public Future<QuotaView> get(Principal actor, QuotaOwner owner, String quotaId) {
        return read(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId).compose(quota -> view(c, quota)));
    }

    /** Changes {@code limit_bytes} (when given, as Quay does). */
    public Future<QuotaView> update(Principal actor, QuotaOwner owner, String quotaId, Long limitBytes) {
        return write(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId)
                .compose(quota -> (limitBytes == null ? Future.<Void>succeededFuture()
                        : records.updateQuota(c, quota.id(), requireLimitBytes(limitBytes)))
                        .compose(updated -> quota(c, namespaceId, quotaId)))
                .compose(quota -> view(c, quota)));
    }

    public Future<Void> delete(Principal actor, QuotaOwner owner, String quotaId) {
        return write(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId).compose(quota -> records.deleteQuota(c, quota.id())));
    }

    public Future<List<QuotaView.LimitView>> limits(Principal actor, QuotaOwner owner, String quotaId) {
        return read(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId)
                .compose(quota -> records.limits(c, quota.id()))
                .map(limits -> limits.stream().map(QuotaView.LimitView::of).toList()));
    }

    public Future<QuotaView.LimitView> createLimit(Principal actor, QuotaOwner owner, String quotaId, String type,
            Integer thresholdPercent) {
        return Futures.attempt(() -> {
            QuotaLimitType limitType = QuotaLimitType.parse(requirePresent(type, "type"));
            int threshold = requireThreshold(thresholdPercent);
            return write(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId)
                    .compose(quota -> records.limits(c, quota.id()).compose(existing -> {
                        requireDistinct(existing, null, limitType, threshold);
                        return records.insertLimit(c, quota.id(), limitType, threshold);
                    }))
                    .map(id -> id.orElseThrow(QuotaService::duplicateLimit))
                    .map(id -> new QuotaView.LimitView(id, limitType.wireName(), threshold)));
        });
    }

    public Future<QuotaView.LimitView> limit(Principal actor, QuotaOwner owner, String quotaId, String limitId) {
        return read(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId)
                .compose(quota -> limit(c, quota, limitId)).map(QuotaView.LimitView::of));
    }

    /** Changes the limit's {@code type} and/or {@code threshold_percent}; answers the quota, as Quay does. */
    public Future<QuotaView> updateLimit(Principal actor, QuotaOwner owner, String quotaId, String limitId, String type,
            Integer thresholdPercent) {
        return Futures.attempt(() -> {
            QuotaLimitType newType = type == null ? null : QuotaLimitType.parse(type);
            Integer newThreshold = thresholdPercent == null ? null : requireThreshold(thresholdPercent);
            return write(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId).compose(quota ->
                    records.limits(c, quota.id()).compose(existing -> {
                        QuotaRecords.LimitRow current = existing.stream().filter(row -> String.valueOf(row.id()).equals(limitId)).findFirst()
                                .orElseThrow(() -> noLimit(limitId));
                        QuotaLimitType changedType = newType == null ? current.type() : newType;
                        int changedThreshold = newThreshold == null ? current.thresholdPercent() : newThreshold;
                        requireDistinct(existing, current.id(), changedType, changedThreshold);
                        return records.updateLimit(c, current.id(), changedType, changedThreshold);
                    }).compose(updated -> view(c, quota))));
        });
    }

    public Future<Void> deleteLimit(Principal actor, QuotaOwner owner, String quotaId, String limitId) {
        return write(actor, owner, (c, namespaceId) -> quota(c, namespaceId, quotaId)
                .compose(quota -> limit(c, quota, limitId))
                .compose(limit -> records.deleteLimit(c, limit.id())));
    }

    /**
     * Sets the namespace's quota to {@code limitBytes} in the caller's transaction (the Container
     * Registry API's {@code sizeLimit}; null removes the quota): a quota created this way, or one
     * without any limit, gets a Reject limit at 100%, so that a size limit is enforced as its name
     * says. Call {@link #applied} once the transaction has committed.
     */
    public Future<Void> setSizeLimit(SqlConnection c, long namespaceId, String namespace, Long limitBytes) {
        Future<Void> changed = limitBytes == null
                ? records.quotaOf(c, namespaceId).compose(quota -> quota.isEmpty() ? Future.<Void>succeededFuture()
                        : records.deleteQuota(c, quota.get().id()))
                : records.insertQuota(c, namespaceId, limitBytes).compose(inserted -> records.quotaOf(c, namespaceId))
                        .map(Optional::orElseThrow)
                        .compose(quota -> records.updateQuota(c, quota.id(), limitBytes)
                                .compose(updated -> records.limits(c, quota.id()))
                                .compose(limits -> limits.isEmpty()
                                        ? records.insertLimit(c, quota.id(), QuotaLimitType.REJECT, 100).<Void>mapEmpty()
                                        : Future.<Void>succeededFuture()));
        return changed.compose(done -> invalidations.publish(c, List.of(Invalidation.quota(namespace))));
    }

    /** This node drops its cached limit of the namespace once a change made through {@link #setSizeLimit} committed. */
    public void applied(String namespace) {
        invalidations.apply(Invalidation.quota(namespace));
    }

    /** A read of the owner's namespace by a member of it (or an administrator). */
    private <T> Future<T> read(Principal actor, QuotaOwner owner, NamespaceWork<T> work) {
        return Futures.attempt(() -> {
            Principal.User user = actor.user();
            if (user == null) {
                throw actor instanceof Principal.Anonymous ? ManagementException.unauthorized("authentication required")
                        : ManagementException.forbidden(actor.name() + " may not read quotas");
            }
            return database.read(c -> namespaceId(c, owner).compose(namespaceId -> mayRead(c, actor, user, namespaceId)
                    .compose(allowed -> {
                        if (!allowed) {
                            throw notFound(owner);
                        }
                        return work.apply(c, namespaceId);
                    })));
        });
    }

    /** A change to the owner's namespace's quota: administrators only (Quay's superuser scope). */
    private <T> Future<T> write(Principal actor, QuotaOwner owner, NamespaceWork<T> work) {
        return Futures.attempt(() -> {
            Actors.requireSuperuser(actor);
            List<Invalidation> stale = List.of(Invalidation.quota(owner.namespace()));
            return database.transaction(c -> namespaceId(c, owner).compose(namespaceId -> work.apply(c, namespaceId))
                            .compose(value -> invalidations.publish(c, stale).map(value)))
                    .recover(failure -> Future.failedFuture(UNIQUE_VIOLATION.equals(DatabaseFailures.serverState(failure))
                            ? duplicateLimit() : failure))
                    .map(value -> {
                        invalidations.apply(stale);
                        return value;
                    });
        });
    }

    @FunctionalInterface
    private interface NamespaceWork<T> {
        Future<T> apply(SqlConnection c, long namespaceId);
    }

    private static Future<Long> namespaceId(SqlConnection c, QuotaOwner owner) {
        return c.preparedQuery("SELECT id FROM namespaces WHERE name = $1 AND kind = $2")
                .execute(Tuple.of(owner.namespace(), owner.kind().column))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw notFound(owner);
                    }
                    return rows.iterator().next().getLong(0);
                });
    }

    private static Future<Boolean> mayRead(SqlConnection c, Principal actor, Principal.User user, long namespaceId) {
        if (actor instanceof Principal.Token token && !token.allNamespaces() && !token.namespaceIds().contains(namespaceId)) {
            return Future.succeededFuture(false);
        }
        if (user.superuser() || user.namespaceId() == namespaceId) {
            return Future.succeededFuture(true);
        }
        return c.preparedQuery("SELECT 1 FROM namespace_members WHERE namespace_id = $1 AND user_id = $2")
                .execute(Tuple.of(namespaceId, user.id())).map(rows -> rows.iterator().hasNext());
    }

    private Future<QuotaRecords.QuotaRow> quota(SqlConnection c, long namespaceId, String quotaId) {
        return records.quotaOf(c, namespaceId).map(quota -> quota.filter(found -> String.valueOf(found.id()).equals(quotaId))
                .orElseThrow(() -> ManagementException.notFound("no quota " + abbreviated(quotaId) + " in this namespace")));
    }

    private Future<QuotaRecords.LimitRow> limit(SqlConnection c, QuotaRecords.QuotaRow quota, String limitId) {
        return records.limits(c, quota.id()).map(limits -> limits.stream().filter(row -> String.valueOf(row.id()).equals(limitId))
                .findFirst().orElseThrow(() -> noLimit(limitId)));
    }

    private Future<QuotaView> view(SqlConnection c, QuotaRecords.QuotaRow quota) {
        return records.limits(c, quota.id())
                .compose(limits -> records.usedBytes(c, quota.namespaceId()).map(used -> QuotaView.of(quota, limits, used)));
    }

    /** Quay's rules: no two identical limits, at most one Reject limit. */
    private static void requireDistinct(List<QuotaRecords.LimitRow> existing, Long changing, QuotaLimitType type, int threshold) {
        for (QuotaRecords.LimitRow other : existing) {
            if (changing != null && other.id() == changing) {
                continue;
            }
            if (other.type() == type && other.thresholdPercent() == threshold) {
                throw duplicateLimit();
            }
            if (type == QuotaLimitType.REJECT && other.type() == QuotaLimitType.REJECT) {
                throw ManagementException.conflict("only one quota limit of type \"Reject\" is allowed; change the existing one");
            }
        }
    }

    private static long requireLimitBytes(Long limitBytes) {
        if (limitBytes == null || limitBytes <= 0) {
            throw ManagementException.badRequest("limit_bytes must be a positive whole number of bytes");
        }
        return limitBytes;
    }

    private static int requireThreshold(Integer thresholdPercent) {
        if (thresholdPercent == null || thresholdPercent < 1 || thresholdPercent > 100) {
            throw ManagementException.badRequest("threshold_percent must be a whole number from 1 to 100");
        }
        return thresholdPercent;
    }

    private static String requirePresent(String value, String field) {
        if (value == null) {
            throw ManagementException.badRequest(field + " is required");
        }
        return value;
    }

    private static ManagementException duplicateLimit() {
        return ManagementException.conflict("the quota has this limit already");
    }

    private static ManagementException noLimit(String limitId) {
        return ManagementException.notFound("no quota limit " + abbreviated(limitId) + " in this quota");
    }

    private static ManagementException notFound(QuotaOwner owner) {
        return ManagementException.notFound("no " + (owner.kind() == QuotaOwner.Kind.USER ? "user " : "organization ")
                + abbreviated(owner.namespace()));
    }

    private static String abbreviated(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
