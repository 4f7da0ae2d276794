package io.berth.api.testing;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The administrator the tests sign in as (its password is set in the test profile and given to
 * every packaged registry the tests start), and a containers-auth file holding it for each
 * registry, which skopeo and podman read through {@code REGISTRY_AUTH_FILE}.
 */
public final class Credentials {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private static final Set<String> HOSTS = ConcurrentHashMap.newKeySet();
    private static Path authFile;

    private Credentials() {
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request to a registry, signed in as the administrator. */
    public static HttpRequest.Builder signedIn(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", adminBasic());
    }

    public static String adminBasic() {
        return basic(ADMIN, ADMIN_PASSWORD);
    }

    /** Lets clients sign in to {@code host} (host:port) as the administrator. */
    public static synchronized void registerHost(String host) {
        if (HOSTS.add(host)) {
            authFile = null;
        }
    }

    /** The auth file for every registry the tests talk to, the in-process one included. */
    public static synchronized Path authFile() {
        if (RestAssured.port > 0) {
            registerHost("localhost:" + RestAssured.port);
        }
        if (authFile == null) {
            try {
                StringBuilder json = new StringBuilder("{\"auths\":{");
                String auth = Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
                String separator = "";
                for (String host : HOSTS) {
                    json.append(separator).append('"').append(host).append("\":{\"auth\":\"").append(auth).append("\"}");
                    separator = ",";
                }
                authFile = Files.createTempFile("berth-auth-", ".json");
                Files.writeString(authFile, json.append("}}").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return authFile;
    }
}
