package io.berth.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Requests to a registry started as a process, asserting the status a client expects. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {
    }

    /** Sends a request (an octet-stream body and a Content-Range when given) and checks its status. */
    public static HttpResponse<byte[]> send(RegistryProcess registry, String method, String path, byte[] body,
            String contentRange, int expectedStatus) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", Credentials.adminBasic());
        if (body != null) {
            request.header("Content-Type", "application/octet-stream");
        }
        if (contentRange != null) {
            request.header("Content-Range", contentRange);
        }
        HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(expectedStatus, response.statusCode(),
                method + " " + path + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return response;
    }
}
