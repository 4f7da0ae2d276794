package io.berth.api.testing;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Sends a request with its path, headers and body exactly as written (REST Assured normalises some paths and adds headers). */
public final class RawHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private RawHttp() {
    }

    public static HttpResponse<String> get(String rawPath) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + rawPath))
                .header("Authorization", Credentials.adminBasic()).GET().build());
    }

    /**
     * Any method, with exactly the Content-Type given (none when null) and the body's bytes as they
     * are (none when null), signed in with {@code authorization}.
     */
    public static HttpResponse<String> send(String method, String rawPath, String contentType, byte[] body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + rawPath))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
