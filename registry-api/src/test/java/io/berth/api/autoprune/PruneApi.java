package io.berth.api.autoprune;

import static io.restassured.RestAssured.given;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The auto-prune API as the tests call it (as the administrator), and the clock set back in the
 * database: tests cannot wait days, so a tag "pushed ten days ago" is one whose push time says so.
 */
final class PruneApi {
    private PruneApi() {
    }

    /** A new organization the administrator administers. */
    static String organization(String prefix) {
        String org = prefix + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        return org;
    }

    /** Creates a policy at {@code base} ({@code organization/<org>}, {@code user}, {@code repository/<repo>}); answers its uuid. */
    static String policy(String base, JsonObject body) {
        return given().contentType("application/json").body(body.encode()).post("/api/v1/" + base + "/autoprunepolicy/")
                .then().statusCode(201).extract().path("uuid");
    }

    /** Runs one policy (with {@code policy}) or every policy of {@code base}; answers the ended run. */
    static JsonPath run(String base, String policy, boolean dryRun) {
        String path = policy == null ? "/api/v1/" + base + "/autoprune/run" : "/api/v1/" + base + "/autoprunepolicy/" + policy + "/run";
        return given().queryParam("dry_run", dryRun).post(path).then().statusCode(200).extract().jsonPath();
    }

    /** The tag's names of the repository now, in order. */
    static List<String> tags(String repository) {
        return given().get("/v2/" + repository + "/tags/list").then().statusCode(200).extract().jsonPath().getList("tags");
    }

    /** Sets when the tag was last pushed, {@code days} ago. */
    static void pushedAgo(Pool pool, String repository, String tag, long days) {
        pushedAgo(pool, repository, tag, java.time.Duration.ofDays(days));
    }

    static void pushedAgo(Pool pool, String repository, String tag, java.time.Duration ago) {
        update(pool, "UPDATE tags SET updated_at = now() - $3 * interval '1 second' WHERE name = $2"
                + " AND repository_id = (SELECT id FROM repositories WHERE name = $1)", repository, tag, ago.toSeconds());
    }

    /** Sets when the tag was last pushed and last pulled ({@code pulledDays} null: never), in days ago. */
    static void aged(Pool pool, String repository, String tag, long pushedDays, Long pulledDays) {
        pushedAgo(pool, repository, tag, pushedDays);
        pulledAgo(pool, repository, tag, pulledDays);
    }

    /** Sets when the tag was last pulled (null: never). */
    static void pulledAgo(Pool pool, String repository, String tag, Long days) {
        update(pool, "UPDATE tags SET last_pulled_at = now() - $3 * interval '1 day' WHERE name = $2"
                + " AND repository_id = (SELECT id FROM repositories WHERE name = $1)", repository, tag, days);
    }

    /** Sets when the manifest was pushed. */
    static void manifestPushedAgo(Pool pool, String repository, byte[] manifest, long days) {
        update(pool, "UPDATE manifests SET pushed_at = now() - $3 * interval '1 day', created_at = now() - $3 * interval '1 day'"
                + " WHERE digest = $2 AND repository_id = (SELECT id FROM repositories WHERE name = $1)", repository,
                Content.sha256(manifest), days);
    }

    static RowSet<Row> query(Pool pool, String sql, Object... parameters) {
        return completed(pool.preparedQuery(sql).execute(Tuple.from(parameters)));
    }

    private static void update(Pool pool, String sql, Object... parameters) {
        if (completed(pool.preparedQuery(sql).execute(Tuple.from(parameters))).rowCount() != 1) {
            throw new IllegalStateException("expected one row for " + List.of(parameters));
        }
    }

    static long namespaceId(Pool pool, String namespace) {
        return query(pool, "SELECT id FROM namespaces WHERE name = $1", namespace).iterator().next().getLong(0);
    }

    static <T> T completed(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entries of a report list as {@code tag=reason} (or {@code digest=reason}) strings, in order. */
    static List<String> entries(JsonPath run, String list, String key) {
        List<String> entries = new ArrayList<>();
        for (java.util.Map<String, Object> entry : run.<java.util.Map<String, Object>>getList("report." + list)) {
            entries.add(entry.get(key) + "=" + entry.get("reason"));
        }
        return entries;
    }
}
