package io.berth.api.testing;

import io.vertx.core.json.JsonObject;

/** Immutability rules made through the management API, as the administrator. */
public final class ImmutabilityRules {
    private ImmutabilityRules() {
    }

    /** Makes the tags of the repository that {@code pattern} matches immutable; answers the rule's uuid. */
    public static String forRepository(String repository, String pattern) {
        return create("/api/v1/repository/" + repository + "/immutabilitypolicy/", pattern);
    }

    /** Makes the tags that {@code pattern} matches immutable in every repository of the organization; answers the rule's uuid. */
    public static String forOrganization(String org, String pattern) {
        return create("/api/v1/organization/" + org + "/immutabilitypolicy/", pattern);
    }

    private static String create(String path, String pattern) {
        return Accounts.asAdmin().body(new JsonObject().put("tagPattern", pattern).encode()).post(path)
                .then().statusCode(201).extract().path("uuid");
    }
}
