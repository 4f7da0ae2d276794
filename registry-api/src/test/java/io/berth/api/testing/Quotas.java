package io.berth.api.testing;

import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/** Quotas and usage, set and read through the management API as an administrator. */
public final class Quotas {
    private Quotas() {
    }

    /** Creates an organization administered by the administrator and answers its name. */
    public static String organization(String prefix) {
        String name = prefix + Long.toHexString(System.nanoTime());
        Accounts.asAdmin().body(new JsonObject().put("name", name).encode()).post("/api/v1/organization/").then().statusCode(201);
        return name;
    }

    /** Gives the organization a quota of {@code limitBytes} and answers its id. */
    public static long create(String org, long limitBytes) {
        return Accounts.asAdmin().body(new JsonObject().put("limit_bytes", limitBytes).encode())
                .post("/api/v1/organization/" + org + "/quota").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Adds a limit of {@code type} ("Warning" or "Reject") at {@code percent} of the quota; answers its id. */
    public static long limit(String org, long quotaId, String type, int percent) {
        return Accounts.asAdmin().body(new JsonObject().put("type", type).put("threshold_percent", percent).encode())
                .post("/api/v1/organization/" + org + "/quota/" + quotaId + "/limit").then().statusCode(201).extract().jsonPath()
                .getLong("id");
    }

    /** A quota with a Reject limit at 100% of {@code limitBytes}; answers the quota's id. */
    public static long rejectingAt(String org, long limitBytes) {
        long id = create(org, limitBytes);
        limit(org, id, "Reject", 100);
        return id;
    }

    /** The organization's usage counter (its {@code size}). */
    public static long usage(String org) {
        return Accounts.asAdmin().get("/api/v1/organization/" + org).then().statusCode(200).extract().jsonPath().getLong("size");
    }

    /** Recounts the organization's usage from the tables and answers the report (counter, recount, drift). */
    public static JsonPath recount(String org) {
        return Accounts.asAdmin().post("/api/v1/organization/" + org + "/quota/recount").then().statusCode(200).extract().jsonPath();
    }
}
