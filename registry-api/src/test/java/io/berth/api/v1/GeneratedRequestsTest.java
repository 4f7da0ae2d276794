package io.berth.api.v1;

import static io.berth.api.testing.GeneratedInput.inUrl;
import static io.berth.api.testing.GeneratedInput.numbers;
import static io.berth.api.testing.GeneratedInput.object;
import static io.berth.api.testing.GeneratedInput.strings;
import static io.berth.api.testing.GeneratedInput.wordsOr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.api.testing.Accounts;
import io.berth.api.testing.ApiErrorAssertions;
import io.berth.api.testing.Content;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.EmbeddedPostgresResource;
import io.berth.api.testing.GeneratedInput;
import io.berth.core.generated.Gen;
import io.berth.api.testing.RawHttp;
import io.berth.api.testing.Registry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Generated requests to the management API's main operations: valid bodies, mutated ones (wrong
 * kinds of values, nulls, missing fields, huge and strange strings, deep nesting), bodies that are
 * not JSON, other Content-Types, and generated query and path values. Every answer is a success or
 * a 4xx with the API error body (status, type, title, detail and error), never a 5xx, never a Java
 * type in the detail; and a refused change leaves what it would have changed as it was. The seed is
 * fixed ({@code -Dberth.generated.seed} picks another) and named in every failure.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class GeneratedRequestsTest {
    private static final long SEED = Long.getLong("berth.generated.seed", 20_261_202L);
    private static final int TRIES = 200;
    private static final String PASSWORD = "generated-password";
    private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
    private static final ObjectMapper READER = new ObjectMapper();

    private static Fixture fixture;
    private final GeneratedInput input = new GeneratedInput(SEED);
    private final AtomicInteger fresh = new AtomicInteger();

    /**
     * What the operations work on: an organization, a repository with two images, a sandbox repository,
     * a user with a token; and how the administrator signs in: with an access token, which is checked
     * with one hash, where a password costs an Argon2id derivation each time a change empties the
     * credential cache (many of these requests change access).
     */
    private record Fixture(String admin, String org, String repository, String sandbox, String digest, String otherDigest, String user,
            String userBasic, String tokenId, String member) {
    }

    /**
     * An operation: how to address it, its valid bodies, and what a refusal must leave unchanged, seen
     * before and after it given the body sent (null: nothing to watch).
     */
    private record Operation(String method, Supplier<String> path, String authorization, Gen<Map<String, Object>> valid,
            Function<JsonNode, String> observed) {
    }

    /** What to watch, whatever the body. */
    private static Function<JsonNode, String> watching(Supplier<String> state) {
        return body -> state.get();
    }

    @Test
    void organizationsAndRepositoriesAnswerEveryBodySoundly() {
        Fixture f = fixture();
        exercise(new Operation("POST", () -> "/api/v1/organization/", admin(),
                random -> object("name", names().next(random), "email", emails().next(random),
                        "sizeLimit", sizeLimits().next(random)),
                body -> body.path("name").isTextual() ? status("/api/v1/organization/" + inUrlOrEmpty(body.path("name").asText())) : null));
        exercise(new Operation("PUT", () -> "/api/v1/organization/" + f.org(), admin(),
                Gen.zip(emails(), sizeLimits(), (email, limit) -> object("email", email, "sizeLimit", limit)),
                watching(() -> {
                    JsonObject org = get("/api/v1/organization/" + f.org(), admin());
                    return org.getString("email") + " " + org.getValue("sizeLimit");
                })));
        exercise(new Operation("POST", () -> "/api/v1/repository", admin(),
                random -> object("namespace", wordsOr(f.org(), f.user()).next(random), "repository", names().next(random),
                        "visibility", wordsOr("public", "private").next(random), "description", descriptions().next(random)),
                body -> body.path("namespace").isTextual() && body.path("repository").isTextual() ? status("/api/v1/repository/"
                        + inUrlOrEmpty(body.path("namespace").asText()) + "/" + inUrlOrEmpty(body.path("repository").asText())) : null));
        exercise(new Operation("PUT", () -> "/api/v1/repository/" + f.sandbox(), admin(),
                descriptions().map(description -> object("description", description)),
                watching(() -> String.valueOf(get("/api/v1/repository/" + f.sandbox(), admin()).getString("description")))));
        exercise(new Operation("POST", () -> "/api/v1/repository/" + f.sandbox() + "/changevisibility", admin(),
                wordsOr("public", "private").map(visibility -> object("visibility", visibility)),
                watching(() -> get("/api/v1/repository/" + f.sandbox(), admin()).getString("visibility"))));
        exercise(new Operation("PUT", () -> "/api/v1/repository/" + f.sandbox() + "/changestate", admin(),
                wordsOr("NORMAL", "READ_ONLY").map(state -> object("state", state)),
                watching(() -> get("/api/v1/repository/" + f.sandbox(), admin()).getString("state"))));
        exercise(new Operation("PUT", () -> "/api/v1/organization/" + f.org() + "/members/" + f.member(), admin(),
                wordsOr("read", "write", "admin").map(role -> object("role", role)),
                watching(() -> get("/api/v1/organization/" + f.org() + "/members", admin()).encode())));
    }

    @Test
    void quotasAndTheirLimitsAnswerEveryBodySoundly() {
        String org = io.berth.api.testing.Quotas.organization("generatedquota");
        String base = "/api/v1/organization/" + org + "/quota";
        long quota = io.berth.api.testing.Quotas.create(org, 1L << 30);
        long limit = io.berth.api.testing.Quotas.limit(org, quota, "Warning", 50);
        Supplier<String> quotas = () -> RawHttp.send("GET", base, null, null, admin()).body();
        exercise(new Operation("POST", () -> base, admin(), random -> object("limit_bytes", sizeLimits().next(random)), watching(quotas)));
        exercise(new Operation("PUT", () -> base + "/" + quota, admin(), random -> object("limit_bytes", sizeLimits().next(random)),
                watching(quotas)));
        Gen<Map<String, Object>> limits = Gen.zip(wordsOr("Warning", "Reject", "warning", "REJECT"), percents(),
                (type, percent) -> object("type", type, "threshold_percent", percent));
        exercise(new Operation("POST", () -> base + "/" + quota + "/limit", admin(), limits, watching(quotas)));
        exercise(new Operation("PUT", () -> base + "/" + quota + "/limit/" + limit, admin(), limits, watching(quotas)));
        exercise(new Operation("PUT", () -> "/api/v1/superuser/users/" + fixture().user() + "/quota/" + quota, admin(),
                random -> object("limit_bytes", sizeLimits().next(random)), null));
    }

    private static Gen<Long> percents() {
        return Gen.<Long>weighted(3, Gen.longBetween(1, 100), 1, Gen.longBetween(Long.MIN_VALUE, Long.MAX_VALUE)).orNull(20);
    }

    @Test
    void tagsCleanupsAndLabelsAnswerEveryBodySoundly() {
        Fixture f = fixture();
        String repository = "/api/v1/repository/" + f.repository();
        Supplier<String> tags = () -> get(repository + "/tag/?onlyActiveTags=true", admin()).getJsonArray("tags").stream()
                .map(tag -> ((JsonObject) tag).getString("name") + "=" + ((JsonObject) tag).getString("manifest_digest")).toList().toString();
        exercise(new Operation("PUT", () -> repository + "/tag/fixture-moving", admin(),
                Gen.zip(wordsOr(f.digest(), f.otherDigest(), Content.sha256(Content.random(8))), expirations(),
                        (digest, expiration) -> object("manifest_digest", digest, "expiration", expiration)),
                watching(tags)));
        // Valid bodies name no tag or image the repository has: what is there stays.
        exercise(new Operation("POST", () -> repository + "/tag/bulk-delete", admin(),
                strings().list(0, 5).map(names -> object("tags", names)), null));
        exercise(new Operation("POST", () -> repository + "/cleanup", admin(),
                random -> object("tags", strings().list(0, 3).next(random), "digests", digests().list(0, 3).next(random),
                        "disable_gc", Gen.of(true, false).next(random)),
                null));
        assertEquals(List.of("fixture-keep=" + f.digest(), "fixture-other=" + f.otherDigest()),
                get(repository + "/tag/?onlyActiveTags=true&filter_tag_name=like:fixture-", admin()).getJsonArray("tags").stream()
                        .map(tag -> ((JsonObject) tag).getString("name") + "=" + ((JsonObject) tag).getString("manifest_digest"))
                        .filter(tag -> !tag.startsWith("fixture-moving")).toList(),
                "seed " + SEED + ": bulk deletes and cleanups of nothing the repository has deleted something");
        String labels = repository + "/manifest/" + f.digest() + "/labels";
        exercise(new Operation("POST", () -> labels, admin(),
                random -> object("key", wordsOr("team", "org.opencontainers.image.source", "a/b.c-d_e").next(random),
                        "value", strings().next(random), "media_type", wordsOr("text/plain", "application/json").next(random)),
                watching(() -> String.valueOf(get(labels, admin()).getJsonArray("labels").size()))));
    }

    @Test
    void autoPrunePoliciesAnswerEveryBodySoundly() {
        String org = "generatedprune" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String base = "/api/v1/organization/" + org + "/autoprunepolicy/";
        Gen<Map<String, Object>> policies = random -> object(
                "method", wordsOr("number_of_tags", "creation_date", "number_of_tags_pulled", "not_pulled_since", "untagged_older_than")
                        .next(random),
                "value", Gen.weighted(3, Gen.of((Object) 10, "10", "7d", "12h", "2w", 0, "0d"), 1, GeneratedInput.values()).next(random),
                "tagPattern", Gen.weighted(2, Gen.of("^release-", "([", "a{2,1}"), 1, strings()).orNull(50).next(random),
                "tagPatternMatches", Gen.of(true, false).orNull(50).next(random),
                "includeTagPattern", Gen.weighted(2, Gen.of("^v[0-9]", "*"), 1, strings()).orNull(60).next(random),
                "excludeTagPattern", Gen.weighted(2, Gen.of("-keep$", "(?<"), 1, strings()).orNull(60).next(random));
        Supplier<String> listed = () -> get(base, admin()).getJsonArray("policies").encode();
        exercise(new Operation("POST", () -> base, admin(), policies, watching(listed)));
        String uuid = new JsonObject(RawHttp.send("POST", base, "application/json",
                "{\"method\":\"number_of_tags\",\"value\":3}".getBytes(StandardCharsets.UTF_8), admin()).body()).getString("uuid");
        exercise(new Operation("PUT", () -> base + uuid, admin(), policies, watching(() -> get(base + uuid, admin()).encode())));
    }

    @Test
    void robotsAndTokensAnswerEveryBodySoundly() {
        Fixture f = fixture();
        exercise(new Operation("PUT", () -> "/api/v1/organization/" + f.org() + "/robots/" + robotName(), admin(),
                Gen.zip(descriptions(), GeneratedInput.values(), (description, metadata) -> object("description",
                        description, "unstructured_metadata", metadata)),
                watching(() -> String.valueOf(get("/api/v1/organization/" + f.org() + "/robots?limit=1000", admin()).getJsonArray("robots")
                        .size()))));
        Gen<Map<String, Object>> tokens = random -> object("name", strings().next(random),
                "expiration", expirationObjects().next(random), "scope", scopes(f).next(random));
        // Tokens are managed by their owner signed in with a password, whose Argon2id derivation every
        // change to a token (which empties the credential cache) makes the next request pay: fewer tries.
        Supplier<String> count = () -> get("/api/v1/tokens?limit=1", f.userBasic()).getLong("totalCount").toString();
        exercise(new Operation("POST", () -> "/api/v1/tokens", f.userBasic(), tokens, watching(count)), TRIES / 2);
        Supplier<String> token = () -> {
            JsonObject current = get("/api/v1/tokens/" + f.tokenId(), f.userBasic());
            current.remove("lastUsedAt");
            return current.encode();
        };
        exercise(new Operation("PATCH", () -> "/api/v1/tokens/" + f.tokenId(), f.userBasic(), tokens, watching(token)), TRIES / 2);
        exercise(new Operation("POST", () -> "/api/v1/tokens/" + f.tokenId() + "/refresh", f.userBasic(),
                expirationObjects().map(expiration -> object("expiration", expiration)), watching(token)), TRIES / 2);
    }

    @Test
    void immutabilityPoliciesAnswerEveryBodySoundly() {
        // An organization of their own: rules generated here must not protect the fixture's tags.
        String org = "generatedrules" + Long.toHexString(System.nanoTime());
        Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
        String repository = org + "/ruled";
        Registry.pushImage(repository, "v1");
        String orgPath = "/api/v1/organization/" + org + "/immutabilitypolicy/";
        String repositoryPath = "/api/v1/repository/" + repository + "/immutabilitypolicy/";
        String updated = Accounts.asAdmin().body("{\"tagPattern\":\"fixture\"}").post(repositoryPath).then().statusCode(201)
                .extract().path("uuid");
        Gen<Map<String, Object>> policies = random -> object("tagPattern", tagPatterns().next(random),
                "tagPatternMatches", Gen.of(true, false).next(random));
        Supplier<String> orgRules = () -> get(orgPath, admin()).getJsonArray("policies").encode();
        exercise(new Operation("POST", () -> orgPath, admin(), policies, watching(orgRules)));
        exercise(new Operation("POST", () -> repositoryPath, admin(), policies,
                watching(() -> get(repositoryPath, admin()).getJsonArray("policies").encode())));
        exercise(new Operation("PUT", () -> repositoryPath + updated, admin(), policies,
                watching(() -> get(repositoryPath + updated, admin()).encode())));
        Gen<String> segment = inUrl(strings().filter(value -> !value.isEmpty()), false);
        for (int i = 0; i < TRIES / 2; i++) {
            String requested = orgPath + input.next(segment);
            sound(RawHttp.send("GET", requested, null, null, admin()), "GET " + requested);
            sound(RawHttp.send("DELETE", requested, null, null, admin()), "DELETE " + requested);
        }
    }

    @Test
    void releasesAnswerEveryBodySoundly() {
        Fixture f = fixture();
        Gen<String> sources = wordsOr(f.repository() + ":fixture-keep", f.repository() + "@" + f.digest(), f.repository() + ":absent");
        exercise(new Operation("POST", () -> "/api/v1/release", admin(),
                random -> object("version_name", strings().next(random), "desc", descriptions().next(random),
                        "labels", strings().list(0, 3).next(random),
                        "items", List.of(object("source", sources.next(random), "target", f.org() + "/released:t" + fresh.incrementAndGet()))),
                watching(() -> String.valueOf(get("/api/v1/release?pageSize=1", admin()).getLong("total")))));
    }

    @Test
    void listingsAnswerEveryQuerySoundly() {
        Fixture f = fixture();
        Gen<String> sortTypes = wordsOr("asc", "desc");
        Gen<String> booleans = wordsOr("true", "false", "TRUE");
        query("/api/v1/repository", admin(), Map.of("limit", numbers(), "offset", numbers(), "search", strings(),
                "sort_field", wordsOr("name", "createdAt", "lastModified", "size"), "sort_type", sortTypes, "short", booleans,
                "public", booleans, "namespace", wordsOr(f.org(), f.user())));
        query("/api/v1/organization/", admin(), Map.of("limit", numbers(), "offset", numbers(), "search", strings(),
                "sort_field", wordsOr("name", "createdAt", "size"), "sort_type", sortTypes));
        query("/api/v1/repository/" + f.repository() + "/image", admin(), Map.of("limit", numbers(), "offset", numbers(), "search", strings()));
        query("/api/v1/repository/" + f.repository() + "/tag/", admin(), Map.of("page", numbers(), "limit", numbers(),
                "onlyActiveTags", booleans, "filter_tag_name", wordsOr("like:fix", "eq:fixture-keep", "like:", "eq:"),
                "specificTag", strings()));
        query("/api/v1/tokens", f.userBasic(), Map.of("limit", numbers(), "offset", numbers(), "search", strings(),
                "sort_field", wordsOr("name", "createdAt", "lastUsedAt", "expiresAt"), "sort_type", sortTypes,
                "scope_mode", wordsOr("ro", "rw")));
        query("/api/v1/organization/" + f.org() + "/robots", admin(), Map.of("limit", numbers(), "permissions", booleans));
        query("/api/v1/release", admin(), Map.of("pageNum", numbers(), "pageSize", numbers()));
        query("/api/v1/repository/" + f.repository() + "/logs", admin(), Map.of("starttime", wordsOr("2024-01-01T00:00:00Z", "1700000000",
                "01/02/2024"), "endtime", wordsOr("2100-01-01T00:00:00Z"), "next_page", strings()));
    }

    @Test
    void pathsAnswerEveryValueSoundly() {
        Fixture f = fixture();
        String repository = "/api/v1/repository/" + f.repository();
        Gen<String> segment = inUrl(strings().filter(value -> !value.isEmpty()), false);
        // Dot segments would take the request out of the management API once the path is normalised.
        Gen<String> path = inUrl(strings().filter(value -> !value.isEmpty()
                && Arrays.stream(value.split("/", -1)).noneMatch(part -> part.equals(".") || part.equals(".."))), true);
        List<Gen<String>> paths = List.of(
                path.map(value -> "/api/v1/repository/" + value),
                segment.map(value -> "/api/v1/organization/" + value),
                segment.map(value -> repository + "/manifest/" + value),
                Gen.zip(digestsOf(f), segment, (digest, label) -> repository + "/manifest/" + digest + "/labels/" + label),
                segment.map(value -> repository + "/manifest/" + value + "/layers"),
                segment.map(value -> "/api/v1/tokens/" + value),
                segment.map(value -> "/api/v1/gc/" + value),
                segment.map(value -> "/api/v1/release/" + value),
                segment.map(value -> "/api/v1/organization/" + f.org() + "/robots/" + value));
        for (Gen<String> generated : paths) {
            for (int i = 0; i < TRIES / 2; i++) {
                String requested = input.next(generated);
                sound(RawHttp.send("GET", requested, null, null, admin()), "GET " + requested);
            }
        }
    }

    /** Sends {@link #TRIES} generated bodies to the operation, each answered soundly, each refusal changing nothing. */
    private void exercise(Operation operation) {
        exercise(operation, TRIES);
    }

    private void exercise(Operation operation, int tries) {
        Gen<byte[]> bodies = GeneratedInput.bodies(operation.valid());
        Gen<String> contentTypes = GeneratedInput.contentTypes();
        for (int i = 0; i < tries; i++) {
            String path = operation.path().get();
            byte[] body = input.next(bodies);
            String contentType = input.next(contentTypes);
            JsonNode sent = parsed(body);
            String before = operation.observed() == null ? null : operation.observed().apply(sent);
            HttpResponse<String> answer = RawHttp.send(operation.method(), path, contentType, body, operation.authorization());
            String request = operation.method() + " " + path + " (" + contentType + ") " + shortened(new String(body, StandardCharsets.UTF_8));
            sound(answer, request);
            if (answer.statusCode() >= 400 && before != null) {
                assertEquals(before, operation.observed().apply(sent), "seed " + SEED + ": refused but changed by " + request);
            }
        }
    }

    /** Sends {@link #TRIES} generated queries (each parameter there or not), each answered soundly. */
    private void query(String path, String authorization, Map<String, Gen<String>> parameters) {
        Gen<Boolean> present = Gen.of(true, false);
        for (int i = 0; i < TRIES; i++) {
            StringBuilder query = new StringBuilder();
            for (Map.Entry<String, Gen<String>> parameter : new LinkedHashMap<>(parameters).entrySet()) {
                if (input.next(present)) {
                    query.append(query.isEmpty() ? "?" : "&").append(parameter.getKey()).append('=')
                            .append(input.next(inUrl(parameter.getValue(), false)));
                }
            }
            sound(RawHttp.send("GET", path + query, null, null, authorization), "GET " + path + query);
        }
    }

    /** A success, or a 4xx with the API error body whose detail names no Java type. */
    private static void sound(HttpResponse<String> answer, String request) {
        int status = answer.statusCode();
        String context = "seed " + SEED + ": " + request + " answered " + status + " " + shortened(answer.body());
        assertTrue(status >= 200 && status < 300 || status >= 400 && status < 500, context);
        if (status < 400) {
            return;
        }
        JsonObject error;
        try {
            error = new JsonObject(answer.body());
        } catch (DecodeException | ClassCastException e) {
            fail(context + ": not the API error body");
            return;
        }
        assertEquals(status, error.getInteger("status"), context);
        String title = error.getString("title");
        assertTrue(title != null && !title.isEmpty(), context);
        assertEquals("/api/v1/error/" + title, error.getString("type"), context);
        String detail = error.getString("detail");
        assertTrue(detail != null && !detail.isBlank(), context);
        assertEquals(detail, error.getString("error"), context);
        assertTrue(!ApiErrorAssertions.JAVA_NAMES.matcher(detail).find(), context + ": the detail names Java types");
    }

    /** The body as JSON, or an empty object when it is none. */
    private static JsonNode parsed(byte[] body) {
        try {
            JsonNode node = READER.readTree(body);
            return node == null ? READER.createObjectNode() : node;
        } catch (IOException notJson) {
            return READER.createObjectNode();
        }
    }

    /** The status a GET of the path answers the administrator (what a refused create must leave at 404). */
    private static String status(String path) {
        return path == null ? null : String.valueOf(RawHttp.send("GET", path, null, null, admin()).statusCode());
    }

    /** A name as a path segment; empty when it could not be one (nothing addressable could have been made of it). */
    private static String inUrlOrEmpty(String name) {
        String encoded = GeneratedInput.encoded(name, false);
        return encoded.length() > 400 || name.isEmpty() || name.equals(".") || name.equals("..") ? "" : encoded;
    }

    private static JsonObject get(String path, String authorization) {
        HttpResponse<String> answer = RawHttp.send("GET", path, null, null, authorization);
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        return new JsonObject(answer.body());
    }

    private static String shortened(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + " characters)" : text;
    }

    /** Names as an operation takes them, fresh ones mostly, or anything. */
    private Gen<String> names() {
        return Gen.weighted(
                2, (Gen<String>) random -> "gen" + Long.toHexString(System.nanoTime()) + fresh.incrementAndGet(),
                1, strings());
    }

    private String robotName() {
        return fresh.incrementAndGet() % 4 == 0 ? input.next(inUrl(strings().filter(name -> !name.isEmpty()), false)) : "robot" + fresh.get();
    }

    /** Patterns as rules take them: valid ones, broken ones, overlong ones, or anything. */
    private static Gen<String> tagPatterns() {
        return Gen.weighted(
                2, wordsOr("^v[0-9.]+$", "release-.*", "stable|lts", "(.*a){12}b", "(", "[a-", "a{2,1}", "*", "x".repeat(257), ""),
                1, strings());
    }

    private static Gen<String> emails() {
        return wordsOr("team@example.com", "").orNull(30);
    }

    private static Gen<Long> sizeLimits() {
        return Gen.<Long>weighted(2, Gen.longBetween(0, 1L << 40),
                1, Gen.longBetween(Long.MIN_VALUE, Long.MAX_VALUE)).orNull(50);
    }

    private static Gen<String> descriptions() {
        return strings().orNull(20);
    }

    private static Gen<String> digests() {
        return Gen.weighted(2, Gen.string("0123456789abcdef", 64, 64).map(hex -> "sha256:" + hex), 1, strings());
    }

    private static Gen<String> digestsOf(Fixture f) {
        return Gen.of(f.digest(), f.otherDigest());
    }

    /** Quay's expiration: seconds since the epoch or an ISO time, far ahead (a tag that expires during the test would vanish). */
    private static Gen<Object> expirations() {
        return Gen.of((Object) FAR.getEpochSecond(), FAR.toString(), FAR.plusSeconds(86_400).toString()).orNull(50);
    }

    private static Gen<Map<String, Object>> expirationObjects() {
        return Gen.zip(Gen.of(true, false), Gen.of(FAR.toString(), Instant.now().minusSeconds(60).toString()),
                (isSet, expiresAt) -> object("isSet", isSet, "expiresAt", expiresAt));
    }

    private static Gen<Map<String, Object>> scopes(Fixture f) {
        return random -> object("allRegistries", Gen.of(true, false).next(random), "modeRW", Gen.of(true, false).next(random),
                "registryIds", wordsOr(f.user(), f.org()).list(0, 3).next(random));
    }

    private static String admin() {
        return fixture().admin();
    }

    private static synchronized Fixture fixture() {
        if (fixture == null) {
            String suffix = Long.toHexString(System.nanoTime());
            String org = "generated" + suffix;
            Accounts.createOrganization(org, Credentials.ADMIN, Credentials.ADMIN_PASSWORD);
            String repository = org + "/fixture";
            byte[] manifest = Registry.pushImage(repository, "fixture-keep");
            Registry.putManifest(repository, "fixture-moving", Registry.OCI_MANIFEST, manifest);
            String digest = Content.sha256(manifest);
            String otherDigest = Content.sha256(Registry.pushImage(repository, "fixture-other"));
            String sandbox = org + "/sandbox";
            Registry.pushImage(sandbox, "v1");
            String user = "generated" + suffix + "u";
            Accounts.createUser(user, PASSWORD);
            String member = "generated" + suffix + "m";
            Accounts.createUser(member, PASSWORD);
            String tokenId = Accounts.createAccessToken(user, PASSWORD, "fixture", true, List.of()).getString("id");
            String admin = "Bearer " + Accounts.createAccessToken(Credentials.ADMIN, Credentials.ADMIN_PASSWORD, "generated requests", true,
                    List.of()).getString("token");
            fixture = new Fixture(admin, org, repository, sandbox, digest, otherDigest, user, Credentials.basic(user, PASSWORD), tokenId,
                    member);
        }
        return fixture;
    }
}
