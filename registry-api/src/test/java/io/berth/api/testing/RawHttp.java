package io.berth.api.testing;

import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a request with its path exactly as written (REST Assured normalises some paths). {@link #send}
 * goes further and writes the request line and headers byte for byte on a socket, so a test controls
 * what no HTTP client lets it: dot segments, encoded slashes, a missing Content-Length.
 */
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

    /** A response read off the socket; header names are lower-cased. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The OCI error code of the body, or null when the body is not an OCI error. */
        public String errorCode() {
            try {
                return new JsonObject(text()).getJsonArray("errors").getJsonObject(0).getString("code");
            } catch (RuntimeException notAnOciError) {
                return null;
            }
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    /**
     * Sends {@code method rawPath} signed in as the administrator, with {@code headers}, and with
     * {@code body} and its Content-Length; a null body sends neither.
     */
    public static Response send(String method, String rawPath, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "localhost:" + RestAssured.port);
        all.put("Authorization", Credentials.adminBasic());
        all.put("Connection", "close");
        all.putAll(headers);
        if (body != null) {
            all.put("Content-Length", String.valueOf(body.length));
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n");
        all.forEach((name, value) -> {
            if (value != null) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        head.append("\r\n");
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream(), method.equals("HEAD"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        if (head || status == 204 || status == 304) {
            return new Response(status, headers, new byte[0]);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            return new Response(status, headers, body.toByteArray());
        }
        String length = headers.get("content-length");
        return new Response(status, headers, length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length)));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed inside a response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
