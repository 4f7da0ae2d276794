import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.InetSocketAddress;
import Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Load client and report generator of the registry benchmark driven by {@code bench/run}.
 *
 * <p>JDK only (java.net.http), so it runs anywhere with the source launcher:
 * <pre>
 *   java bench/BenchClient.java &lt;scenario&gt; &lt;baseUrl&gt; [key=value ...]   one JSON object on stdout
 *   java bench/BenchClient.java prepare-blob &lt;baseUrl&gt; repo=.. size-mib=.. seed=..   prints the digest
 *   java bench/BenchClient.java prepare-lookups &lt;baseUrl&gt;   pushes a small image, prints its URL paths
 *   java bench/BenchClient.java report &lt;records.jsonl&gt; &lt;meta.tsv&gt; &lt;outDir&gt;
 * </pre>
 * Scenarios: push-monolithic, push-chunked, pull, pull-concurrent, small-blobs, concurrent-images, tags,
 * and lookup (keep-alive HEAD or GET load on one URL); bench/run drives wrk itself for manifest GET.
 *
 * <p>Blob content is a random block (at most 1 MiB, from a seed) repeated up to the blob's size, so a
 * GiB blob is streamed and hashed without ever being held in memory, and every run pushes the same
 * bytes to both registries. Throughput is in MB/s of 10^6 bytes.
 */
public class BenchClient {
    static final int MIB = 1 << 20;
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BenchClient <scenario|prepare-blob|prepare-lookups> <baseUrl> [key=value ...]"
                    + " | BenchClient report <records.jsonl> <meta.tsv> <outDir>");
            System.exit(2);
        }
        String mode = args[0];
        if (mode.equals("report")) {
            Report.write(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            return;
        }
        Registry registry = new Registry(URI.create(args[1]));
        Options options = Options.parse(Arrays.copyOfRange(args, 2, args.length));
        switch (mode) {
            case "prepare-blob" -> System.out.println(Scenarios.prepareBlob(registry, options));
            case "prepare-lookups" -> System.out.print(Scenarios.prepareLookups(registry));
            default -> System.out.println(Json.write(Scenarios.run(mode, registry, options)));
        }
    }

    /** The measured scenarios. Each returns its metrics; names ending in _per_s are "higher is better". */
    static final class Scenarios {
        static Map<String, Object> run(String scenario, Registry registry, Options o) throws Exception {
            return switch (scenario) {
                case "push-monolithic" -> pushMonolithic(registry, o);
                case "push-chunked" -> pushChunked(registry, o);
                case "pull" -> pull(registry, o);
                case "pull-concurrent" -> pullConcurrent(registry, o);
                case "small-blobs" -> smallBlobs(registry, o);
                case "concurrent-images" -> concurrentImages(registry, o);
                case "tags" -> tags(registry, o);
                case "lookup" -> Lookup.run(registry, o);
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            };
        }

        /** Untimed set-up of the pull scenarios: pushes one blob and prints its digest for the measuring run. */
        static String prepareBlob(Registry registry, Options o) throws Exception {
            Content blob = Content.random(o.number("seed", 1), o.number("size-mib", 1024) * MIB);
            String digest = blob.digest();
            registry.pushMonolithic(o.text("repo"), blob, digest);
            return digest;
        }

        /** Untimed set-up of the lookup scenarios: a small image tagged "latest"; prints the paths wrk hits. */
        static String prepareLookups(Registry registry) throws Exception {
            Image image = Image.small(7);
            registry.pushImage("bench/lookup", "latest", image);
            return "manifest /v2/bench/lookup/manifests/latest\n"
                    + "blob /v2/bench/lookup/blobs/" + image.layers().get(0).digest() + "\n";
        }

        static Map<String, Object> pushMonolithic(Registry registry, Options o) throws Exception {
            Content blob = Content.random(o.number("seed", 1), o.number("size-mib", 1024) * MIB);
            String digest = blob.digest(); // hashed before the clock starts: the PUT needs it up front
            long start = System.nanoTime();
            registry.pushMonolithic("bench/push-monolithic", blob, digest);
            return Map.of("throughput_mb_per_s", mbPerSecond(blob.size(), System.nanoTime() - start));
        }

        static Map<String, Object> pushChunked(Registry registry, Options o) throws Exception {
            Content blob = Content.random(o.number("seed", 2), o.number("size-mib", 1024) * MIB);
            long chunk = o.number("chunk-mib", 16) * MIB;
            String digest = blob.digest();
            long start = System.nanoTime();
            URI location = registry.startUpload("bench/push-chunked");
            for (long offset = 0; offset < blob.size(); offset += chunk) {
                location = registry.patch(location, blob, offset, Math.min(offset + chunk, blob.size()));
            }
            registry.finishUpload(location, digest, null);
            return Map.of("throughput_mb_per_s", mbPerSecond(blob.size(), System.nanoTime() - start));
        }

        static Map<String, Object> pull(Registry registry, Options o) throws Exception {
            long start = System.nanoTime();
            long bytes = registry.pullBlob(o.text("repo"), o.text("digest"));
            return Map.of("throughput_mb_per_s", mbPerSecond(bytes, System.nanoTime() - start));
        }

        static Map<String, Object> pullConcurrent(Registry registry, Options o) throws Exception {
            String repo = o.text("repo");
            String digest = o.text("digest");
            int clients = (int) o.number("clients", 16);
            long start = System.nanoTime();
            List<Long> sizes = Parallel.run(clients, clients, i -> registry.pullBlob(repo, digest));
            long total = sizes.stream().mapToLong(Long::longValue).sum();
            return Map.of("aggregate_mb_per_s", mbPerSecond(total, System.nanoTime() - start));
        }

        /** Many tiny monolithic pushes (POST + PUT each): per-request overhead rather than bandwidth. */
        static Map<String, Object> smallBlobs(Registry registry, Options o) throws Exception {
            int count = (int) o.number("count", 2000);
            int clients = (int) o.number("clients", 8);
            long size = o.number("size-kib", 4) * 1024;
            // Distinct contents and their digests are made before the clock starts.
            List<Content> blobs = new ArrayList<>(count);
            List<String> digests = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Content blob = Content.random(100_000L + i, size);
                blobs.add(blob);
                digests.add(blob.digest());
            }
            long start = System.nanoTime();
            List<Long> latencies = Parallel.run(count, clients, i -> {
                long began = System.nanoTime();
                registry.pushMonolithic("bench/small-blobs", blobs.get(i), digests.get(i));
                return System.nanoTime() - began;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("pushes_per_s", count / seconds);
            metrics.put("p50_ms", percentile(latencies, 50) / 1e6);
            metrics.put("p99_ms", percentile(latencies, 99) / 1e6);
            return metrics;
        }

        /** Images pushed at the same time, each by one client: layers one after another, then config and manifest. */
        static Map<String, Object> concurrentImages(Registry registry, Options o) throws Exception {
            int images = (int) o.number("images", 16);
            int layers = (int) o.number("layers", 5);
            long layerSize = o.number("layer-mib", 8) * MIB;
            List<Image> built = new ArrayList<>(images);
            for (int i = 0; i < images; i++) {
                List<Blob> contents = new ArrayList<>(layers);
                for (int l = 0; l < layers; l++) {
                    contents.add(Blob.of(Content.random(200_000L + i * 100L + l, layerSize)));
                }
                built.add(Image.of(i, contents));
            }
            long start = System.nanoTime();
            Parallel.run(images, images, i -> {
                registry.pushImage(String.format(Locale.ROOT, "bench/image-%02d", i), "latest", built.get(i));
                return null;
            });
            return Map.of("wall_s", (System.nanoTime() - start) / 1e9);
        }

        /**
         * Many tags on one manifest: the time to create them, then full and paginated listings. The tag
         * counts of the listings are reported too, since a registry may ignore n and last.
         */
        static Map<String, Object> tags(Registry registry, Options o) throws Exception {
            int count = (int) o.number("count", 10_000);
            int clients = (int) o.number("clients", 8);
            int fullRepeats = (int) o.number("full-repeats", 20);
            int pageRepeats = (int) o.number("page-repeats", 50);
            String repo = "bench/tags";
            Image image = Image.small(11);
            registry.pushBlob(repo, image.config());
            registry.pushBlob(repo, image.layers().get(0));
            // Zero-padded names sort lexically in creation order; "last" sits 90% deep into the list.
            List<String> names = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                names.add(String.format(Locale.ROOT, "t%05d", i));
            }
            String last = names.get(Math.max(0, count * 9 / 10 - 1));

            long start = System.nanoTime();
            Parallel.run(count, clients, i -> {
                registry.putManifest(repo, names.get(i), image.manifest());
                return null;
            });
            double createSeconds = (System.nanoTime() - start) / 1e9;

            URI full = registry.uri("/v2/" + repo + "/tags/list");
            URI page = registry.uri("/v2/" + repo + "/tags/list?n=100&last=" + last);
            Listing fullListing = Listing.measure(registry, full, fullRepeats);
            Listing pageListing = Listing.measure(registry, page, pageRepeats);

            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("create_s", createSeconds);
            metrics.put("list_full_ms", fullListing.medianMillis());
            metrics.put("list_full_tag_count", fullListing.tagCount());
            metrics.put("list_page_ms", pageListing.medianMillis());
            metrics.put("list_page_tag_count", pageListing.tagCount());
            return metrics;
        }

        static double mbPerSecond(long bytes, long nanos) {
            return bytes / 1e6 / (nanos / 1e9);
        }

        /** Nearest-rank percentile. */
        static long percentile(List<Long> values, int p) {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }
    }

    /**
     * Keep-alive HEAD or GET load on one URL over plain sockets for a fixed time, each connection sending
     * its next request when the previous response is complete (wrk's model). It exists because wrk 4.1
     * cannot finish a HEAD response that carries a Content-Length: it waits for a body that never comes.
     */
    static final class Lookup {
        static Map<String, Object> run(Registry registry, Options o) throws Exception {
            URI target = registry.uri(o.text("path"));
            String method = o.text("method");
            boolean head = method.equals("HEAD");
            int connections = (int) o.number("connections", 64);
            long duration = TimeUnit.SECONDS.toNanos(o.number("seconds", 10));
            String accept = o.values().getOrDefault("accept", "*/*");
            byte[] request = (method + " " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":"
                    + target.getPort() + "\r\nAccept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

            long start = System.nanoTime();
            long deadline = start + duration;
            List<Connection> done = new ArrayList<>();
            // Virtual threads: 64 blocking connections multiplexed on as many carriers as there are cores.
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Connection>> futures = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    futures.add(pool.submit(() -> new Connection(target, request, head).runUntil(deadline)));
                }
                for (Future<Connection> future : futures) {
                    done.add(future.get(duration + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] latencies = done.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.count)).sorted().toArray();
            long errors = done.stream().mapToLong(c -> c.errors).sum();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("requests_per_s", latencies.length / seconds);
            metrics.put("p50_ms", latencies.length == 0 ? 0 : latencies[rank(latencies.length, 50)] / 1e6);
            metrics.put("p99_ms", latencies.length == 0 ? 0 : latencies[rank(latencies.length, 99)] / 1e6);
            metrics.put("error_count", errors);
            return metrics;
        }

        static int rank(int size, int percentile) {
            return Math.max(0, (int) Math.ceil(percentile / 100.0 * size) - 1);
        }

        /** One keep-alive connection; reconnects when the server closes it or a request fails. */
        static final class Connection {
            final URI target;
            final byte[] request;
            final boolean head;
            final byte[] buffer = new byte[16 * 1024];
            int position;
            int limit;
            long[] latencies = new long[4096];
            int count;
            long errors;

            Connection(URI target, byte[] request, boolean head) {
                this.target = target;
                this.request = request;
                this.head = head;
            }

            Connection runUntil(long deadline) {
                while (System.nanoTime() < deadline) {
                    try (Socket socket = new Socket()) {
                        socket.setTcpNoDelay(true);
                        socket.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5000);
                        socket.setSoTimeout(10_000);
                        position = limit = 0;
                        exchangeUntil(socket, deadline);
                    } catch (IOException e) {
                        errors++;
                        pause(); // a refused or dropped connection must not turn into a busy loop
                    }
                }
                return this;
            }

            /** Requests on one connection until the deadline, or until the server asks to close it. */
            private void exchangeUntil(Socket socket, long deadline) throws IOException {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                boolean open = true;
                while (open && System.nanoTime() < deadline) {
                    long began = System.nanoTime();
                    out.write(request);
                    out.flush();
                    String[] head = readHead(in);
                    int status = Integer.parseInt(head[0].split(" ", 3)[1]);
                    long length = 0;
                    boolean chunked = false;
                    for (int i = 1; i < head.length; i++) {
                        String line = head[i].toLowerCase(Locale.ROOT);
                        if (line.startsWith("content-length:")) {
                            length = Long.parseLong(line.substring(15).trim());
                        } else if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
                            chunked = true;
                        } else if (line.startsWith("connection:") && line.contains("close")) {
                            open = false;
                        }
                    }
                    if (!this.head) {
                        if (chunked) {
                            skipChunks(in);
                        } else {
                            skip(in, length);
                        }
                    }
                    record(System.nanoTime() - began);
                    if (status != 200) {
                        errors++;
                    }
                }
            }

            private void record(long nanos) {
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = nanos;
            }

            /** The status line and header lines of one response, up to the empty line (at most 200 lines). */
            private String[] readHead(InputStream in) throws IOException {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String line = readLine(in);
                    if (line.isEmpty()) {
                        return lines.toArray(String[]::new);
                    }
                    lines.add(line);
                }
                throw new IOException("response head too long");
            }

            private String readLine(InputStream in) throws IOException {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < 8192; i++) {
                    int c = next(in);
                    if (c == '\n') {
                        int end = line.length();
                        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                    }
                    line.append((char) c);
                }
                throw new IOException("header line too long");
            }

            private void skipChunks(InputStream in) throws IOException {
                for (int i = 0; i < 1_000_000; i++) {
                    String size = readLine(in);
                    int semicolon = size.indexOf(';');
                    long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (length == 0) {
                        readHead(in); // trailers, up to the empty line
                        return;
                    }
                    skip(in, length);
                    readLine(in); // the CRLF after the chunk's data
                }
                throw new IOException("too many chunks");
            }

            private void skip(InputStream in, long length) throws IOException {
                for (long left = length; left > 0; ) {
                    if (position == limit) {
                        fill(in);
                    }
                    int n = (int) Math.min(left, limit - position);
                    position += n;
                    left -= n;
                }
            }

            private int next(InputStream in) throws IOException {
                if (position == limit) {
                    fill(in);
                }
                return buffer[position++] & 0xff;
            }

            private void fill(InputStream in) throws IOException {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("connection closed by the server");
                }
                position = 0;
                limit = n;
            }

            private static void pause() {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Median time of repeated GETs of a tag listing, and how many tags the response held. */
    record Listing(double medianMillis, int tagCount) {
        static Listing measure(Registry registry, URI uri, int repeats) throws Exception {
            double[] millis = new double[repeats];
            int tags = -1;
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                String body = registry.getText(uri);
                millis[i] = (System.nanoTime() - start) / 1e6;
                if (tags < 0) {
                    Object list = ((Map<?, ?>) Json.parse(body)).get("tags");
                    tags = list instanceof List<?> l ? l.size() : 0;
                }
            }
            return new Listing(Stats.median(Arrays.stream(millis).boxed().toList()), tags);
        }
    }

    /** Runs {@code count} tasks on {@code threads} threads; fails with the first failure, bounded in time. */
    static final class Parallel {
        interface Task<T> {
            T run(int index) throws Exception;
        }

        static <T> List<T> run(int count, int threads, Task<T> task) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Callable<T>> calls = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    int index = i;
                    calls.add(() -> task.run(index));
                }
                List<T> results = new ArrayList<>(count);
                for (Future<T> future : pool.invokeAll(calls, 1, TimeUnit.HOURS)) {
                    results.add(future.get()); // a timed-out task surfaces here as CancellationException
                }
                return results;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** key=value command-line options. */
    record Options(Map<String, String> values) {
        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value, got " + arg);
                }
                values.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            return new Options(values);
        }

        long number(String key, long fallback) {
            String value = values.get(key);
            return value == null ? fallback : Long.parseLong(value);
        }

        String text(String key) {
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("missing option " + key + "=...");
            }
            return value;
        }
    }

    /** Deterministic bytes: a random block from a seed, repeated up to {@code size}. */
    record Content(byte[] block, long size) {
        static Content random(long seed, long size) {
            byte[] block = new byte[(int) Math.min(size, MIB)];
            new SplittableRandom(seed).nextBytes(block);
            return new Content(block, size);
        }

        static Content of(byte[] bytes) {
            return new Content(bytes, bytes.length);
        }

        /** The bytes in [from, to) as a stream. */
        InputStream stream(long from, long to) {
            return new InputStream() {
                long position = from;

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    if (position >= to) {
                        return -1;
                    }
                    int inBlock = (int) (position % block.length);
                    int n = (int) Math.min(Math.min(length, block.length - inBlock), to - position);
                    System.arraycopy(block, inBlock, buffer, offset, n);
                    position += n;
                    return n;
                }

                @Override
                public int read() {
                    return position >= to ? -1 : block[(int) (position++ % block.length)] & 0xff;
                }
            };
        }

        /** A request body of the bytes in [from, to) with its Content-Length set (not chunked). */
        BodyPublisher body(long from, long to) {
            if (to == from) {
                return BodyPublishers.noBody();
            }
            return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> stream(from, to)), to - from);
        }

        String digest() {
            MessageDigest sha = sha256();
            for (long offset = 0; offset < size; offset += block.length) {
                sha.update(block, 0, (int) Math.min(block.length, size - offset));
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Content with its digest, as a manifest references it. */
    record Blob(Content content, String digest) {
        static Blob of(Content content) {
            return new Blob(content, content.digest());
        }
    }

    /** An OCI image: config, layers and the manifest that lists them. */
    record Image(Blob config, List<Blob> layers, byte[] manifest) {
        /** One 1 KiB layer: the image of the lookup and tag scenarios. */
        static Image small(long seed) {
            return of(seed, List.of(Blob.of(Content.random(seed, 1024))));
        }

        static Image of(long id, List<Blob> layers) {
            StringBuilder diffIds = new StringBuilder();
            StringBuilder layerList = new StringBuilder();
            for (Blob layer : layers) {
                diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(layer.digest()).append('"');
                layerList.append(layerList.isEmpty() ? "" : ",").append(descriptor(OCI_LAYER, layer));
            }
            // The id keeps configs, and so manifests, of different images distinct.
            String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"bench.id\":\"" + id
                    + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
            Blob configBlob = Blob.of(Content.of(config.getBytes(StandardCharsets.UTF_8)));
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                    + descriptor(OCI_CONFIG, configBlob) + ",\"layers\":[" + layerList + "]}";
            return new Image(configBlob, layers, manifest.getBytes(StandardCharsets.UTF_8));
        }

        private static String descriptor(String mediaType, Blob blob) {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + blob.digest() + "\",\"size\":"
                    + blob.content().size() + "}";
        }
    }

    /** The registry protocol calls the scenarios use, over one keep-alive HTTP/1.1 client. */
    static final class Registry {
        private final URI base;
        private final HttpClient http;

        Registry(URI base) {
            this.base = base;
            this.http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }

        URI uri(String path) {
            return base.resolve(path);
        }

        URI startUpload(String repo) throws IOException {
            HttpResponse<String> response = send(request(uri("/v2/" + repo + "/blobs/uploads/"), 0)
                    .POST(BodyPublishers.noBody()), 202);
            return location(response);
        }

        /** POST, then PUT ?digest= with the whole body. */
        void pushMonolithic(String repo, Content content, String digest) throws IOException {
            finishUpload(startUpload(repo), digest, content);
        }

        void pushBlob(String repo, Blob blob) throws IOException {
            pushMonolithic(repo, blob.content(), blob.digest());
        }

        /** Sends bytes [from, to) as one chunk; returns the Location for the next request. */
        URI patch(URI location, Content content, long from, long to) throws IOException {
            HttpResponse<String> response = send(request(location, to - from)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", from + "-" + (to - 1))
                    .method("PATCH", content.body(from, to)), 202);
            return location(response);
        }

        /** The closing PUT ?digest=, with the whole content as body or (null) with an empty one. */
        void finishUpload(URI location, String digest, Content content) throws IOException {
            // Distribution's Location carries a _state query, so the digest may be a second parameter.
            String separator = location.getRawQuery() == null ? "?" : "&";
            URI put = URI.create(location + separator + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
            long size = content == null ? 0 : content.size();
            BodyPublisher body = content == null ? BodyPublishers.noBody() : content.body(0, size);
            HttpResponse<String> response = send(request(put, size)
                    .header("Content-Type", "application/octet-stream").PUT(body), 201);
            String stored = response.headers().firstValue("Docker-Content-Digest").orElse(digest);
            if (!stored.equals(digest)) {
                throw new IOException("registry stored " + stored + " for " + digest);
            }
        }

        void putManifest(String repo, String reference, byte[] manifest) throws IOException {
            send(request(uri("/v2/" + repo + "/manifests/" + reference), manifest.length)
                    .header("Content-Type", OCI_MANIFEST)
                    .PUT(BodyPublishers.ofByteArray(manifest)), 201);
        }

        void pushImage(String repo, String tag, Image image) throws IOException {
            for (Blob layer : image.layers()) {
                pushBlob(repo, layer);
            }
            pushBlob(repo, image.config());
            putManifest(repo, tag, image.manifest());
        }

        /** GETs a blob, hashing it while it streams in; returns its size after checking its digest. */
        long pullBlob(String repo, String digest) throws IOException {
            HttpRequest get = request(uri("/v2/" + repo + "/blobs/" + digest), 0).GET().build();
            HttpResponse<InputStream> response = exchange(get, BodyHandlers.ofInputStream());
            MessageDigest sha = sha256();
            long total = 0;
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + get.uri() + ": " + response.statusCode() + " "
                            + new String(in.readNBytes(2000), StandardCharsets.UTF_8));
                }
                byte[] buffer = new byte[MIB];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    sha.update(buffer, 0, n);
                    total += n;
                }
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(digest)) {
                throw new IOException("GET " + get.uri() + " returned " + total + " bytes hashing to " + actual);
            }
            return total;
        }

        String getText(URI uri) throws IOException {
            return send(request(uri, 0).header("Accept", "application/json").GET(), 200).body();
        }

        /** Time limit: two minutes plus the body at 5 MB/s, so even a slow GiB upload is never cut short. */
        private static HttpRequest.Builder request(URI uri, long bodyBytes) {
            return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120 + bodyBytes / 5_000_000));
        }

        private HttpResponse<String> send(HttpRequest.Builder builder, int expectedStatus) throws IOException {
            HttpRequest request = builder.build();
            HttpResponse<String> response = exchange(request, BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                String body = response.body();
                throw new IOException(request.method() + " " + request.uri() + ": expected " + expectedStatus
                        + ", got " + response.statusCode() + " " + body.substring(0, Math.min(body.length(), 2000)));
            }
            return response;
        }

        private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
            try {
                return http.send(request, handler);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        private URI location(HttpResponse<?> response) throws IOException {
            String location = response.headers().firstValue("Location")
                    .orElseThrow(() -> new IOException(response.request().uri() + ": no Location header"));
            return response.request().uri().resolve(location); // relative (Berth) or absolute (Distribution)
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Stats {
        static double median(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    /**
     * Aggregation of bench/run's records: medians over rounds per scenario, metric, storage and registry,
     * and Berth-versus-Distribution ratios, written as latest.json, latest.md and latest-ratios.svg.
     */
    static final class Report {
        static final String BERTH = "berth";
        static final String DIST = "distribution";

        /** Whether more is better, decided by the metric name's unit suffix; INFO metrics get no ratio. */
        enum Direction {
            HIGHER, LOWER, INFO;

            static Direction of(String metric) {
                if (metric.endsWith("_per_s")) {
                    return HIGHER;
                }
                if (metric.endsWith("_s") || metric.endsWith("_ms") || metric.endsWith("_mib") || metric.endsWith("_per_gib")) {
                    return LOWER;
                }
                return INFO;
            }
        }

        record Row(String scenario, String metric, String storage, Direction direction, Double berth, Double dist,
                int berthRounds, int distRounds) {
            /** Greater than 1 means Berth did better, whichever the direction. */
            Double ratio() {
                if (berth == null || dist == null || direction == Direction.INFO) {
                    return null;
                }
                double numerator = direction == Direction.HIGHER ? berth : dist;
                double denominator = direction == Direction.HIGHER ? dist : berth;
                return denominator == 0 ? null : numerator / denominator;
            }

            String ratioKind() {
                return switch (direction) {
                    case HIGHER -> "berth/distribution (higher is better)";
                    case LOWER -> "distribution/berth (lower is better)";
                    case INFO -> "none (informational)";
                };
            }

            String label() {
                return scenario + " " + metric + " [" + storage + "]";
            }
        }

        static void write(Path recordsFile, Path metaFile, Path outDir) throws IOException {
            List<Map<String, Object>> records = new ArrayList<>();
            for (String line : Files.readAllLines(recordsFile)) {
                if (!line.isBlank()) {
                    records.add(castMap(Json.parse(line)));
                }
            }
            Map<String, Object> machine = new LinkedHashMap<>();
            for (String line : Files.readAllLines(metaFile)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    machine.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
            List<Row> rows = aggregate(records);
            List<Map<String, Object>> failures = records.stream().filter(r -> r.containsKey("error")).toList();

            Files.createDirectories(outDir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("generated", Instant.now().toString());
            json.put("machine", machine);
            json.put("medians", rows.stream().map(Report::rowJson).toList());
            json.put("failures", failures);
            json.put("rounds", records);
            Files.writeString(outDir.resolve("latest.json"), Json.write(json) + "\n");
            Files.writeString(outDir.resolve("latest.md"), markdown(rows, failures, machine));
            Files.writeString(outDir.resolve("latest-ratios.svg"), svg(rows, machine));
        }

        /** One row per scenario, metric and storage, in the order they were first recorded. */
        static List<Row> aggregate(List<Map<String, Object>> records) {
            Map<List<String>, Map<String, List<Double>>> values = new LinkedHashMap<>();
            for (Map<String, Object> record : records) {
                Map<String, Object> metrics = new LinkedHashMap<>();
                castMap(record.getOrDefault("metrics", Map.of())).forEach(metrics::put);
                castMap(record.getOrDefault("server", Map.of())).forEach((k, v) -> metrics.put("server." + k, v));
                for (Map.Entry<String, Object> metric : metrics.entrySet()) {
                    if (metric.getValue() instanceof Number number) {
                        List<String> key = List.of(String.valueOf(record.get("scenario")), metric.getKey(),
                                String.valueOf(record.get("storage")));
                        values.computeIfAbsent(key, k -> new LinkedHashMap<>())
                                .computeIfAbsent(String.valueOf(record.get("registry")), k -> new ArrayList<>())
                                .add(number.doubleValue());
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            values.forEach((key, byRegistry) -> {
                List<Double> berth = byRegistry.getOrDefault(BERTH, List.of());
                List<Double> dist = byRegistry.getOrDefault(DIST, List.of());
                rows.add(new Row(key.get(0), key.get(1), key.get(2), Direction.of(key.get(1)),
                        berth.isEmpty() ? null : Stats.median(berth), dist.isEmpty() ? null : Stats.median(dist),
                        berth.size(), dist.size()));
            });
            return rows;
        }

        static Map<String, Object> rowJson(Row row) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scenario", row.scenario());
            json.put("metric", row.metric());
            json.put("storage", row.storage());
            json.put("direction", row.direction().name().toLowerCase(Locale.ROOT));
            json.put("berth_median", row.berth());
            json.put("distribution_median", row.dist());
            json.put("berth_rounds", row.berthRounds());
            json.put("distribution_rounds", row.distRounds());
            json.put("ratio", row.ratio());
            json.put("ratio_kind", row.ratioKind());
            return json;
        }

        static String markdown(List<Row> rows, List<Map<String, Object>> failures, Map<String, Object> machine) {
            StringBuilder md = new StringBuilder("# Berth vs CNCF Distribution\n\n");
            if ("1".equals(machine.get("quick"))) {
                md.append("**Quick validation run (BENCH_QUICK=1): tiny sizes, not a measurement.**\n\n");
            }
            for (String key : List.of("date", "rounds", "scenarios", "cpu", "nproc", "memory", "kernel", "jdk",
                    "distribution", "berth_commit", "berth_fsync")) {
                if (machine.containsKey(key)) {
                    md.append("- ").append(key).append(": ").append(machine.get(key)).append('\n');
                }
            }
            md.append("\nMedians over rounds. The ratio is berth/distribution for higher-is-better metrics (↑) and ")
                    .append("distribution/berth for lower-is-better ones (↓): above 1 means Berth did better. ")
                    .append("`server.*` metrics are the registry processes' own CPU and memory; `*_total_*` ")
                    .append("includes Berth's PostgreSQL processes.\n\n");
            md.append("| scenario | metric | storage | Berth | Distribution | ratio |\n|---|---|---|---|---|---|\n");
            for (Row row : rows) {
                String arrow = switch (row.direction()) {
                    case HIGHER -> " ↑";
                    case LOWER -> " ↓";
                    case INFO -> "";
                };
                Double ratio = row.ratio();
                md.append("| ").append(row.scenario()).append(" | ").append(row.metric()).append(arrow)
                        .append(" | ").append(row.storage())
                        .append(" | ").append(cell(row.berth())).append(" | ").append(cell(row.dist()))
                        .append(" | ").append(ratio == null ? "–" : String.format(Locale.ROOT, "%.2f (%s)", ratio,
                                row.direction() == Direction.HIGHER ? "B/D" : "D/B"))
                        .append(" |\n");
            }
            if (!failures.isEmpty()) {
                md.append("\n## Failed steps\n\n");
                for (Map<String, Object> failure : failures) {
                    md.append("- ").append(failure.get("storage")).append(" round ").append(failure.get("round"))
                            .append(' ').append(failure.get("registry")).append(' ').append(failure.get("scenario"))
                            .append(": ").append(failure.get("error")).append('\n');
                }
            }
            return md.toString();
        }

        static String cell(Double value) {
            return value == null ? "–" : Json.number(value);
        }

        /** Horizontal bars of the ratios on a log2 axis centred on 1.0; right of the line is Berth better. */
        static String svg(List<Row> rows, Map<String, Object> machine) {
            List<Row> bars = rows.stream().filter(r -> r.ratio() != null).toList();
            int labelWidth = 420, plotWidth = 460, rowHeight = 18, top = 50;
            double maxLog = 4; // the axis spans 1/16x to 16x; longer bars are clipped and marked
            int width = labelWidth + plotWidth + 80;
            int height = top + bars.size() * rowHeight + 40;
            double centre = labelWidth + plotWidth / 2.0;
            double perLog = plotWidth / 2.0 / maxLog;
            StringBuilder svg = new StringBuilder();
            svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " font-family=\"sans-serif\" font-size=\"11\">\n", width, height));
            svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
            String title = "Berth vs Distribution: ratio of medians (>1 = Berth better), log scale"
                    + ("1".equals(machine.get("quick")) ? " (QUICK validation run)" : "");
            svg.append(text(10, 20, "start", "font-size=\"14\" font-weight=\"bold\"", title));
            for (int exponent = (int) -maxLog; exponent <= maxLog; exponent++) {
                double x = centre + exponent * perLog;
                String tick = exponent >= 0 ? (1 << exponent) + "x" : "1/" + (1 << -exponent) + "x";
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>\n",
                        x, top - 5, x, height - 30, exponent == 0 ? "black" : "#ddd"));
                svg.append(text(x, top - 10, "middle", "", tick));
            }
            for (int i = 0; i < bars.size(); i++) {
                Row row = bars.get(i);
                double log = Math.log(row.ratio()) / Math.log(2);
                double clipped = Math.max(-maxLog, Math.min(maxLog, log));
                double y = top + i * rowHeight;
                double x = Math.min(centre, centre + clipped * perLog);
                double w = Math.max(1, Math.abs(clipped) * perLog);
                svg.append(text(labelWidth - 6, y + 12, "end", "", row.label()));
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n",
                        x, y + 3, w, rowHeight - 6, log >= 0 ? "#3a7d44" : "#c0392b"));
                String value = String.format(Locale.ROOT, "%.2f%s", row.ratio(), clipped != log ? " (clipped)" : "");
                svg.append(text(centre + (log >= 0 ? w : -w) + (log >= 0 ? 4 : -4), y + 12, log >= 0 ? "start" : "end",
                        "", value));
            }
            svg.append(text(centre, height - 12, "middle", "",
                    "↑ metrics: berth/distribution; ↓ metrics: distribution/berth"));
            return svg.append("</svg>\n").toString();
        }

        static String text(double x, double y, String anchor, String attributes, String content) {
            String escaped = content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>\n",
                    x, y, anchor, attributes, escaped);
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> castMap(Object value) {
            return (Map<String, Object>) value;
        }
    }

    /** Just enough JSON for the records and reports: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(first ? "" : ",");
                    first = false;
                    writeString(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    write(list.get(i), out);
                }
                out.append(']');
            } else if (value instanceof Number number) {
                out.append(number(number.doubleValue()));
            } else if (value instanceof Boolean) {
                out.append(value);
            } else {
                writeString(value.toString(), out);
            }
        }

        /** Six significant digits, no exponent: enough for timings, readable in a table. */
        static String number(double value) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return "null";
            }
            return BigDecimal.valueOf(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }

        private static void writeString(String s, StringBuilder out) {
            out.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        static Object parse(String text) {
            Parser parser = new Parser(text);
            Object value = parser.value();
            parser.skipSpace();
            if (parser.pos != text.length()) {
                throw parser.error("trailing characters");
            }
            return value;
        }

        private static final class Parser {
            final String s;
            int pos;

            Parser(String s) {
                this.s = s;
            }

            Object value() {
                skipSpace();
                if (pos >= s.length()) {
                    throw error("unexpected end");
                }
                char c = s.charAt(pos);
                return switch (c) {
                    case '{' -> object();
                    case '[' -> array();
                    case '"' -> string();
                    case 't' -> literal("true", Boolean.TRUE);
                    case 'f' -> literal("false", Boolean.FALSE);
                    case 'n' -> literal("null", null);
                    default -> number();
                };
            }

            Map<String, Object> object() {
                Map<String, Object> map = new LinkedHashMap<>();
                pos++;
                skipSpace();
                if (peek('}')) {
                    pos++;
                    return map;
                }
                while (true) {
                    skipSpace();
                    String key = string();
                    skipSpace();
                    expect(':');
                    map.put(key, value());
                    skipSpace();
                    if (peek(',')) {
                        pos++;
                    } else {
                        expect('}');
                        return map;
                    }
                }
            }

            List<Object> array() {
                List<Object> list = new ArrayList<>();
                pos++;
                skipSpace();
                if (peek(']')) {
                    pos++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    skipSpace();
                    if (peek(',')) {
                        pos++;
                    } else {
                        expect(']');
                        return list;
                    }
                }
            }

            String string() {
                expect('"');
                StringBuilder out = new StringBuilder();
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == '"') {
                        return out.toString();
                    }
                    if (c != '\\') {
                        out.append(c);
                        continue;
                    }
                    if (pos >= s.length()) {
                        break;
                    }
                    char e = s.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            if (pos + 4 > s.length()) {
                                throw error("bad \\u escape");
                            }
                            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> out.append(e); // \" \\ \/
                    }
                }
                throw error("unterminated string");
            }

            Double number() {
                int start = pos;
                while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                    pos++;
                }
                if (start == pos) {
                    throw error("unexpected character");
                }
                return Double.valueOf(s.substring(start, pos));
            }

            Object literal(String word, Object value) {
                if (!s.startsWith(word, pos)) {
                    throw error("unexpected character");
                }
                pos += word.length();
                return value;
            }

            void skipSpace() {
                while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                    pos++;
                }
            }

            boolean peek(char c) {
                return pos < s.length() && s.charAt(pos) == c;
            }

            void expect(char c) {
                if (!peek(c)) {
                    throw error("expected '" + c + "'");
                }
                pos++;
            }

            IllegalArgumentException error(String message) {
                return new IllegalArgumentException("JSON: " + message + " at " + pos);
            }
        }
    }
}
