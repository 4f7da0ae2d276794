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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
    private record Operation(String method, Supplier<String> path, String authorization, Arbitrary<Map<String, Object>> valid,
            Function<JsonNode, String> observed) {
    }

    /** What to watch, whatever the body. */
    private static Function<JsonNode, String> watching(Supplier<String> state) {
        return body -> state.get();
    }

    @BeforeAll
    static void startSession() {
        JqwikSession.start();
    }

    @AfterAll
    static void finishSession() {
        JqwikSession.finish();
    }

    @Test
    void organizationsAndRepositoriesAnswerEveryBodySoundly() {
        Fixture f = fixture();
        exercise(new Operation("POST", () -> "/api/v1/organization/", admin(),
                Combinators.combine(names(), emails(), sizeLimits()).as((name, email, limit) -> object("name", name, "email", email,
                        "sizeLimit", limit)),
                body -> body.path("name").isTextual() ? status("/api/v1/organization/" + inUrlOrEmpty(body.path("name").asText())) : null));
        exercise(new Operation("PUT", () -> "/api/v1/organization/" + f.org(), admin(),
                Combinators.combine(emails(), sizeLimits()).as((email, limit) -> object("email", email, "sizeLimit", limit)),
                watching(() -> {
                    JsonObject org = get("/api/v1/organization/" + f.org(), admin());
                    return org.getString("email") + " " + org.getValue("sizeLimit");
                })));
        exercise(new Operation("POST", () -> "/api/v1/repository", admin(),
                Combinators.combine(wordsOr(f.org(), f.user()), names(), wordsOr("public", "private"), descriptions())
                        .as((namespace, name, visibility, description) -> object("namespace", namespace, "repository", name,
                                "visibility", visibility, "description", description)),
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
    void tagsCleanupsAndLabelsAnswerEveryBodySoundly() {
        Fixture f = fixture();
        String repository = "/api/v1/repository/" + f.repository();
        Supplier<String> tags = () -> get(repository + "/tag/?onlyActiveTags=true", admin()).getJsonArray("tags").stream()
                .map(tag -> ((JsonObject) tag).getString("name") + "=" + ((JsonObject) tag).getString("manifest_digest")).toList().toString();
        exercise(new Operation("PUT", () -> repository + "/tag/fixture-moving", admin(),
                Combinators.combine(wordsOr(f.digest(), f.otherDigest(), Content.sha256(Content.random(8))), expirations())
                        .as((digest, expiration) -> object("manifest_digest", digest, "expiration", expiration)),
                watching(tags)));
        // Valid bodies name no tag or image the repository has: what is there stays.
        exercise(new Operation("POST", () -> repository + "/tag/bulk-delete", admin(),
                strings().list().ofMaxSize(5).map(names -> object("tags", names)), null));
        exercise(new Operation("POST", () -> repository + "/cleanup", admin(),
                Combinators.combine(strings().list().ofMaxSize(3), digests().list().ofMaxSize(3), Arbitraries.of(true, false))
                        .as((names, digests, disableGc) -> object("tags", names, "digests", digests, "disable_gc", disableGc)),
                null));
        assertEquals(List.of("fixture-keep=" + f.digest(), "fixture-other=" + f.otherDigest()),
                get(repository + "/tag/?onlyActiveTags=true&filter_tag_name=like:fixture-", admin()).getJsonArray("tags").stream()
                        .map(tag -> ((JsonObject) tag).getString("name") + "=" + ((JsonObject) tag).getString("manifest_digest"))
                        .filter(tag -> !tag.startsWith("fixture-moving")).toList(),
                "seed " + SEED + ": bulk deletes and cleanups of nothing the repository has deleted something");
        String labels = repository + "/manifest/" + f.digest() + "/labels";
        exercise(new Operation("POST", () -> labels, admin(),
                Combinators.combine(wordsOr("team", "org.opencontainers.image.source", "a/b.c-d_e"), strings(),
                        wordsOr("text/plain", "application/json")).as((key, value, type) -> object("key", key, "value", value,
                        "media_type", type)),
                watching(() -> String.valueOf(get(labels, admin()).getJsonArray("labels").size()))));
    }

    @Test
    void robotsAndTokensAnswerEveryBodySoundly() {
        Fixture f = fixture();
        exercise(new Operation("PUT", () -> "/api/v1/organization/" + f.org() + "/robots/" + robotName(), admin(),
                Combinators.combine(descriptions(), GeneratedInput.values()).as((description, metadata) -> object("description",
                        description, "unstructured_metadata", metadata)),
                watching(() -> String.valueOf(get("/api/v1/organization/" + f.org() + "/robots?limit=1000", admin()).getJsonArray("robots")
                        .size()))));
        Arbitrary<Map<String, Object>> tokens = Combinators.combine(strings(), expirationObjects(), scopes(f))
                .as((name, expiration, scope) -> object("name", name, "expiration", expiration, "scope", scope));
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
    void listingsAnswerEveryQuerySoundly() {
        Fixture f = fixture();
        Arbitrary<String> sortTypes = wordsOr("asc", "desc");
        Arbitrary<String> booleans = wordsOr("true", "false", "TRUE");
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
        query("/api/v1/repository/" + f.repository() + "/logs", admin(), Map.of("starttime", wordsOr("2024-01-01T00:00:00Z", "1700000000",
                "01/02/2024"), "endtime", wordsOr("2100-01-01T00:00:00Z"), "next_page", strings()));
    }

    @Test
    void pathsAnswerEveryValueSoundly() {
        Fixture f = fixture();
        String repository = "/api/v1/repository/" + f.repository();
        Arbitrary<String> segment = inUrl(strings().filter(value -> !value.isEmpty()), false);
        // Dot segments would take the request out of the management API once the path is normalised.
        Arbitrary<String> path = inUrl(strings().filter(value -> !value.isEmpty()
                && Arrays.stream(value.split("/", -1)).noneMatch(part -> part.equals(".") || part.equals(".."))), true);
        List<Arbitrary<String>> paths = List.of(
                path.map(value -> "/api/v1/repository/" + value),
                segment.map(value -> "/api/v1/organization/" + value),
                segment.map(value -> repository + "/manifest/" + value),
                Combinators.combine(digestsOf(f), segment).as((digest, label) -> repository + "/manifest/" + digest + "/labels/" + label),
                segment.map(value -> repository + "/manifest/" + value + "/layers"),
                segment.map(value -> "/api/v1/tokens/" + value),
                segment.map(value -> "/api/v1/gc/" + value),
                segment.map(value -> "/api/v1/organization/" + f.org() + "/robots/" + value));
        for (Arbitrary<String> generated : paths) {
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
        Arbitrary<byte[]> bodies = GeneratedInput.bodies(operation.valid());
        Arbitrary<String> contentTypes = GeneratedInput.contentTypes();
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
    private void query(String path, String authorization, Map<String, Arbitrary<String>> parameters) {
        Arbitrary<Boolean> present = Arbitraries.of(true, false);
        for (int i = 0; i < TRIES; i++) {
            StringBuilder query = new StringBuilder();
            for (Map.Entry<String, Arbitrary<String>> parameter : new LinkedHashMap<>(parameters).entrySet()) {
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
    private Arbitrary<String> names() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just("").map(ignored -> "gen" + Long.toHexString(System.nanoTime()) + fresh.incrementAndGet())),
                Tuple.of(1, strings()));
    }

    private String robotName() {
        return fresh.incrementAndGet() % 4 == 0 ? input.next(inUrl(strings().filter(name -> !name.isEmpty()), false)) : "robot" + fresh.get();
    }

    private static Arbitrary<String> emails() {
        return wordsOr("team@example.com", "").injectNull(0.3);
    }

    private static Arbitrary<Long> sizeLimits() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.longs().between(0, 1L << 40)),
                Tuple.of(1, Arbitraries.longs())).injectNull(0.5);
    }

    private static Arbitrary<String> descriptions() {
        return strings().injectNull(0.2);
    }

    private static Arbitrary<String> digests() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)
                .map(hex -> "sha256:" + hex)), Tuple.of(1, strings()));
    }

    private static Arbitrary<String> digestsOf(Fixture f) {
        return Arbitraries.of(f.digest(), f.otherDigest());
    }

    /** Quay's expiration: seconds since the epoch or an ISO time, far ahead (a tag that expires during the test would vanish). */
    private static Arbitrary<Object> expirations() {
        return Arbitraries.of((Object) FAR.getEpochSecond(), FAR.toString(), FAR.plusSeconds(86_400).toString()).injectNull(0.5);
    }

    private static Arbitrary<Map<String, Object>> expirationObjects() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(FAR.toString(), Instant.now().minusSeconds(60).toString()))
                .as((isSet, expiresAt) -> object("isSet", isSet, "expiresAt", expiresAt));
    }

    private static Arbitrary<Map<String, Object>> scopes(Fixture f) {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                        wordsOr(f.user(), f.org()).list().ofMaxSize(3))
                .as((all, readWrite, registries) -> object("allRegistries", all, "modeRW", readWrite, "registryIds", registries));
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
