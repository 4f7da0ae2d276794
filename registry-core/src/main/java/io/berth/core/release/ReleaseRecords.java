package io.berth.core.release;

import io.berth.core.metadata.Statements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The releases and release_items tables: releases as recorded, listed and worked through. */
@Singleton
public class ReleaseRecords {
    private static final String RELEASE_COLUMNS = "r.id, r.version_name, r.description, r.labels, r.status, r.error, r.created_by,"
            + " r.created_at, r.finished_at, r.lease_owner,"
            + " (SELECT count(*) FROM release_items i WHERE i.release_id = r.id AND i.status = 'success'),"
            + " (SELECT count(*) FROM release_items i WHERE i.release_id = r.id)";
    private static final String ITEM_COLUMNS = "position, chart_position, kind, source_repository, source_reference, target_repository,"
            + " target_tag, digest, status, tagged, error, created_at, updated_at";

    /** A release as stored, with its item counts. */
    public record Release(UUID id, String versionName, String description, List<String> labels, String status, String error,
            String createdBy, Instant createdAt, Instant finishedAt, String leaseOwner, int successCount, int totalCount) {

        /** {@code waiting} until a worker has it, {@code uploading} while one does; then the release's own outcome. */
        public String uploadStatus() {
            if (ReleaseStatus.inProgress(status)) {
                return leaseOwner == null ? ReleaseStatus.WAITING : ReleaseStatus.UPLOADING;
            }
            return status;
        }
    }

    /** An item as stored: where from, where to, and how far it got. */
    public record Item(int position, Integer chartPosition, ReleaseItemKind kind, String sourceRepository, String sourceReference,
            String targetRepository, String targetTag, String digest, String status, boolean tagged, String error, Instant createdAt,
            Instant updatedAt) {

        public String source() {
            return sourceRepository + (sourceReference.indexOf(':') >= 0 ? "@" : ":") + sourceReference;
        }

        public String target() {
            return targetRepository + ":" + targetTag;
        }

        public ReleaseItemView view() {
            return new ReleaseItemView(position, chartPosition, kind.word(), source(), target(), digest, status, tagged, error,
                    createdAt, updatedAt);
        }
    }

    /** A page of releases and how many there are in all. */
    public record Page(List<Release> releases, long total) {
    }

    /** Records the release, {@code creating}, and all its items, {@code waiting}: two statements, the items in one. */
    public Future<Void> insert(SqlConnection c, UUID id, ReleaseRequest request, String createdBy) {
        Future<Integer> release = Statements.update(c, "INSERT INTO releases (id, version_name, description, labels, status, created_by)"
                + " VALUES ($1, $2, $3, $4, 'creating', $5)", id, request.versionName(), request.description(),
                request.labels().toArray(String[]::new), createdBy);
        List<ReleaseItemSpec> items = request.items();
        Tuple columns = Tuple.tuple().addUUID(id)
                .addArrayOfInteger(items.stream().map(ReleaseItemSpec::position).toArray(Integer[]::new))
                .addArrayOfInteger(items.stream().map(ReleaseItemSpec::chartPosition).toArray(Integer[]::new))
                .addArrayOfString(items.stream().map(item -> item.kind().word()).toArray(String[]::new))
                .addArrayOfString(items.stream().map(item -> item.source().repository().value()).toArray(String[]::new))
                .addArrayOfString(items.stream().map(item -> item.source().reference().toString()).toArray(String[]::new))
                .addArrayOfString(items.stream().map(item -> item.target().repository().value()).toArray(String[]::new))
                .addArrayOfString(items.stream().map(item -> item.target().tag().value()).toArray(String[]::new));
        Future<RowSet<Row>> rows = c.preparedQuery("INSERT INTO release_items (release_id, position, chart_position, kind,"
                        + " source_repository, source_reference, target_repository, target_tag)"
                        + " SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])")
                .execute(columns);
        return Future.all(release, rows).mapEmpty();
    }

    public Future<Optional<Release>> find(SqlConnection c, UUID id) {
        return c.preparedQuery("SELECT " + RELEASE_COLUMNS + " FROM releases r WHERE r.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(release(rows.iterator().next())) : Optional.empty());
    }

    /** The release's items in request order. */
    public Future<List<Item>> items(SqlConnection c, UUID id) {
        return c.preparedQuery("SELECT " + ITEM_COLUMNS + " FROM release_items WHERE release_id = $1 ORDER BY position")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<Item> items = new ArrayList<>();
                    for (Row row : rows) {
                        items.add(item(row));
                    }
                    return items;
                });
    }

    /** Newest first; {@code createdBy} null lists everyone's. The page and the count are sent together. */
    public Future<Page> page(SqlConnection c, String createdBy, int offset, int limit) {
        String where = createdBy == null ? "" : " WHERE r.created_by = $3";
        Tuple page = Tuple.of((long) offset, (long) limit);
        if (createdBy != null) {
            page.addString(createdBy);
        }
        Future<RowSet<Row>> rows = c.preparedQuery("SELECT " + RELEASE_COLUMNS + " FROM releases r" + where
                + " ORDER BY r.created_at DESC, r.id DESC OFFSET $1 LIMIT $2").execute(page);
        Future<RowSet<Row>> total = createdBy == null
                ? c.preparedQuery("SELECT count(*) FROM releases").execute()
                : c.preparedQuery("SELECT count(*) FROM releases WHERE created_by = $1").execute(Tuple.of(createdBy));
        return Future.all(rows, total).map(both -> {
            List<Release> releases = new ArrayList<>();
            for (Row row : rows.result()) {
                releases.add(release(row));
            }
            return new Page(releases, total.result().iterator().next().getLong(0));
        });
    }

    /**
     * Takes the oldest release that needs work and that no live lease holds (never taken, or its
     * worker's lease lapsed: that node died or lost the database), leasing it to {@code owner}.
     * One statement: the row is locked with SKIP LOCKED, so two nodes never take the same one.
     */
    public Future<Optional<Release>> take(SqlConnection c, String owner, Duration lease) {
        return c.preparedQuery("UPDATE releases r SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond',"
                        + " updated_at = now() WHERE r.id = (SELECT id FROM releases WHERE status IN ('creating', 'retrying')"
                        + " AND (lease_until IS NULL OR lease_until < now()) ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING " + RELEASE_COLUMNS)
                .execute(Tuple.of(owner, lease.toMillis()))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(release(rows.iterator().next())) : Optional.empty());
    }

    /**
     * Renews the lease, in the transaction that records an item's outcome: false when {@code owner}
     * no longer holds it (it lapsed and another node took the release over), and the item's work
     * must then be rolled back.
     */
    public Future<Boolean> renew(SqlConnection c, UUID id, String owner, Duration lease) {
        return Statements.update(c, "UPDATE releases SET lease_until = now() + $1 * interval '1 millisecond', updated_at = now()"
                + " WHERE id = $2 AND lease_owner = $3 AND status IN ('creating', 'retrying')", lease.toMillis(), id, owner)
                .map(renewed -> renewed > 0);
    }

    public Future<Void> copied(SqlConnection c, UUID id, int position, String digest) {
        return Statements.update(c, "UPDATE release_items SET status = 'success', tagged = true, digest = $1, error = NULL,"
                + " updated_at = now() WHERE release_id = $2 AND position = $3", digest, id, position).mapEmpty();
    }

    public Future<Void> failed(SqlConnection c, UUID id, int position, String error) {
        return Statements.update(c, "UPDATE release_items SET status = 'failed', error = $1, updated_at = now()"
                + " WHERE release_id = $2 AND position = $3", error, id, position).mapEmpty();
    }

    /**
     * Ends the release held by {@code owner}: {@code success} when every item was copied, else
     * {@code failed} with how many failed and the first reason.
     */
    public Future<Void> finish(SqlConnection c, UUID id, String owner) {
        return Statements.update(c, """
                UPDATE releases r SET
                  status = CASE WHEN f.failed = 0 THEN 'success' ELSE 'failed' END,
                  error = CASE WHEN f.failed = 0 THEN NULL
                          ELSE f.failed || ' of ' || f.total || ' items failed; ' || f.first_target || ': ' || f.first_error END,
                  finished_at = now(), updated_at = now(), lease_owner = NULL, lease_until = NULL
                FROM (SELECT count(*) FILTER (WHERE status = 'failed') AS failed, count(*) AS total,
                        (array_agg(target_repository || ':' || target_tag ORDER BY position) FILTER (WHERE status = 'failed'))[1] AS first_target,
                        (array_agg(error ORDER BY position) FILTER (WHERE status = 'failed'))[1] AS first_error
                      FROM release_items WHERE release_id = $1) f
                WHERE r.id = $1 AND r.lease_owner = $2""", id, owner).mapEmpty();
    }

    /** Gives the lease up (the node is stopping, or the database failed it): another pass takes the release at once. */
    public Future<Void> letGo(SqlConnection c, UUID id, String owner) {
        return Statements.update(c, "UPDATE releases SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
                id, owner).mapEmpty();
    }

    /** Sets a failed release {@code retrying} with its failed items {@code waiting} again; false when it is not failed (any more). */
    public Future<Boolean> retry(SqlConnection c, UUID id) {
        return Statements.update(c, "UPDATE releases SET status = 'retrying', error = NULL, finished_at = NULL, lease_owner = NULL,"
                        + " lease_until = NULL, updated_at = now() WHERE id = $1 AND status = 'failed'", id)
                .compose(retried -> retried == 0 ? Future.succeededFuture(false)
                        : Statements.update(c, "UPDATE release_items SET status = 'waiting', error = NULL, updated_at = now()"
                                + " WHERE release_id = $1 AND status = 'failed'", id).map(true));
    }

    /** Locks a release that no worker is copying, for its deletion; empty when it is gone or in progress. */
    public Future<Boolean> lockFinished(SqlConnection c, UUID id) {
        return c.preparedQuery("SELECT 1 FROM releases WHERE id = $1 AND status IN ('success', 'failed') FOR UPDATE")
                .execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext());
    }

    public Future<Void> delete(SqlConnection c, UUID id) {
        return Statements.update(c, "DELETE FROM releases WHERE id = $1", id).mapEmpty();
    }

    private static Release release(Row row) {
        String[] labels = row.getArrayOfStrings(3);
        return new Release(row.getUUID(0), row.getString(1), row.getString(2), labels == null ? List.of() : List.of(labels),
                row.getString(4), row.getString(5), row.getString(6), instant(row.getOffsetDateTime(7)), instant(row.getOffsetDateTime(8)),
                row.getString(9), (int) (long) row.getLong(10), (int) (long) row.getLong(11));
    }

    private static Item item(Row row) {
        return new Item(row.getInteger(0), row.getInteger(1), ReleaseItemKind.of(row.getString(2)), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getBoolean(9), row.getString(10),
                instant(row.getOffsetDateTime(11)), instant(row.getOffsetDateTime(12)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
