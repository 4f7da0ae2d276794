package io.berth.api.v1;

import static io.berth.api.testing.ApiErrorAssertions.apiError;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.berth.api.testing.Accounts;
import io.berth.api.testing.Content;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Organizations listed with their sizes (the usage counter), where a layer shared by two repositories counts once, and their
 * size limits (their quotas).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class OrganizationSizeTest {
    private static final String PASSWORD = "organization-password";

    @Test
    void aSharedLayerCountsOncePerOrganizationAndOncePerRepository() {
        String owner = "orgowner" + Long.toHexString(System.nanoTime());
        Accounts.createUser(owner, PASSWORD);
        String org = "sized" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, owner, PASSWORD);

        byte[] shared = Content.random(50_000);
        byte[] configA = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"a\":1}");
        byte[] configB = Content.utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"b\":2}");
        byte[] onlyB = Content.random(7_000);
        byte[] manifestA = Registry.imageManifest(org + "/a", configA, shared);
        Registry.putManifest(org + "/a", "v1", Registry.OCI_MANIFEST, manifestA);
        byte[] manifestB = Registry.imageManifest(org + "/b", configB, shared, onlyB);
        Registry.putManifest(org + "/b", "v1", Registry.OCI_MANIFEST, manifestB);

        long sizeA = shared.length + configA.length + manifestA.length;
        long sizeB = shared.length + configB.length + onlyB.length + manifestB.length;
        long organization = shared.length + configA.length + configB.length + onlyB.length + manifestA.length + manifestB.length;
        Accounts.as(owner, PASSWORD).get("/api/v1/repository/" + org + "/a").then().body("size", equalTo((int) sizeA));
        Accounts.as(owner, PASSWORD).get("/api/v1/repository/" + org + "/b").then().body("size", equalTo((int) sizeB));
        Accounts.as(owner, PASSWORD).get("/api/v1/organization/" + org).then().statusCode(200)
                .body("size", equalTo((int) organization))
                .body("repositoryCount", equalTo(2))
                .body("sizeLimit", nullValue());

        // Limits are set by administrators; use is reported against them. The size limit is the organization's quota
        // (the same one Quay's quota API shows, enforced with a Reject limit at 100%), its size the quota's usage counter.
        apiError(Accounts.as(owner, PASSWORD).body("{\"sizeLimit\":1000000}").put("/api/v1/organization/" + org).then(),
                403, "forbidden");
        Accounts.asAdmin().body("{\"sizeLimit\":" + organization * 4 + "}").put("/api/v1/organization/" + org).then().statusCode(200)
                .body("sizeLimit", equalTo((int) (organization * 4)))
                .body("used", equalTo(25));
        Accounts.asAdmin().get("/api/v1/organization/" + org + "/quota").then().statusCode(200)
                .body("limit_bytes", contains((int) (organization * 4)))
                .body("used_bytes", contains((int) organization))
                .body("[0].limits.type", contains("Reject"));
        apiError(Accounts.asAdmin().body("{\"sizeLimit\":-1}").put("/api/v1/organization/" + org).then(), 400, "invalid_request");
        Accounts.asAdmin().body("{\"sizeLimit\":0}").put("/api/v1/organization/" + org).then().body("sizeLimit", nullValue());
    }

    @Test
    void organizationsAreListedWithPagingSearchAndSorting() {
        String member = "lister" + Long.toHexString(System.nanoTime());
        Accounts.createUser(member, PASSWORD);
        String prefix = "list" + Long.toHexString(System.nanoTime());
        for (String suffix : new String[] {"small", "big", "empty"}) {
            Accounts.createOrganization(prefix + suffix, member, PASSWORD);
        }
        Registry.pushImage(prefix + "small/app", "v1");
        Registry.imageManifest(prefix + "big/app", Content.utf8("{}"), Content.random(100_000));
        String outsider = "outsider" + Long.toHexString(System.nanoTime());
        Accounts.createUser(outsider, PASSWORD);
        Accounts.createOrganization(outsider + "org", outsider, PASSWORD);

        Accounts.as(member, PASSWORD).queryParam("sort_field", "size").queryParam("sort_type", "desc").get("/api/v1/organization/")
                .then().statusCode(200)
                .body("totalCount", equalTo(3))
                .body("organizations.name", contains(prefix + "big", prefix + "small", prefix + "empty"))
                // The Container Registry API's registry: the same list, an id that paths and token scopes take, a status.
                .body("registries.name", contains(prefix + "big", prefix + "small", prefix + "empty"))
                .body("registries.id", contains(prefix + "big", prefix + "small", prefix + "empty"))
                .body("registries.status", everyItem(equalTo("active")));
        Accounts.as(member, PASSWORD).get("/api/v1/organization/" + prefix + "big").then().statusCode(200)
                .body("id", equalTo(prefix + "big")).body("status", equalTo("active"));
        Accounts.as(member, PASSWORD).queryParam("search", "SMALL".toLowerCase()).get("/api/v1/organization/").then()
                .body("organizations.name", contains(prefix + "small"));
        Accounts.as(member, PASSWORD).queryParam("limit", 1).queryParam("offset", 1).get("/api/v1/organization/").then()
                .body("totalCount", equalTo(3)).body("organizations.name", contains(prefix + "empty"));
        Accounts.as(member, PASSWORD).queryParam("limit", 1000).get("/api/v1/organization/").then()
                .body("organizations.name", not(hasItem(outsider + "org")));
        Accounts.asAdmin().queryParam("limit", 1000).get("/api/v1/organization/").then()
                .body("organizations.name", hasItem(outsider + "org"));
        apiError(Accounts.as(member, PASSWORD).queryParam("sort_field", "colour").get("/api/v1/organization/").then(),
                400, "invalid_request");
    }
}
