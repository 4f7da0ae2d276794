package io.berth.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Credentials;
import io.berth.api.testing.RegistryProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged registry started with no configuration creates its administrator and prints the password once. */
class FirstAdministratorIT {
    private static final Pattern PRINTED = Pattern.compile("Created the administrator 'admin' with password: (\\S+)");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theGeneratedPasswordIsPrintedOnceAndKeptAcrossRestarts() throws Exception {
        RegistryProcess registry = RegistryProcess.withGeneratedAdministrator(work.resolve("data"));
        String password;
        String token;
        try (registry) {
            registry.start();
            Matcher printed = PRINTED.matcher(registry.log());
            assertTrue(printed.find(), "no generated password in the log");
            password = printed.group(1);
            assertEquals(200, status(registry, "/v2/", Credentials.basic("admin", password)));
            assertEquals(401, status(registry, "/v2/", Credentials.basic("admin", "not-it")));
            assertEquals(401, status(registry, "/v2/", null));
            token = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/token"))
                    .header("Authorization", Credentials.basic("admin", password)).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .getString("token");
        }
        RegistryProcess restarted = RegistryProcess.withGeneratedAdministrator(work.resolve("data"));
        try (restarted) {
            restarted.start();
            Matcher printed = PRINTED.matcher(restarted.log());
            assertTrue(printed.find());
            assertFalse(printed.find(), "the password was printed again at the second start");
            assertEquals(200, status(restarted, "/v2/", Credentials.basic("admin", password)));
            // The signing key was kept too: a token issued before the restart still verifies.
            assertEquals(200, status(restarted, "/v2/", "Bearer " + token));
        }
    }

    private int status(RegistryProcess registry, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.baseUrl() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
