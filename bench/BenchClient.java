import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Load client and report generator of the registry benchmark driven by {@code bench/run}.
 *
 * <p>JDK only, so it runs anywhere with the source launcher:
 * <pre>
 *   java bench/BenchClient.java &lt;scenario&gt; &lt;baseUrl&gt; [key=value ...]   one JSON object on stdout
 *   java bench/BenchClient.java prepare-blob &lt;baseUrl&gt; repo=.. size-mib=.. seed=..   prints the digest
 *   java bench/BenchClient.java prepare-lookups &lt;baseUrl&gt;   pushes a small image, prints its URL paths
 *   java bench/BenchClient.java report &lt;records.jsonl&gt; &lt;meta.tsv&gt; &lt;outDir&gt;
 *   java bench/BenchClient.java ideal-server file=.. mode=sendfile|copy size-mib=.. seed=..   prints its port
 *   java bench/BenchClient.java sha256-cost size-mib=..   CPU seconds of SHA-256 alone per GiB
 * </pre>
 * Scenarios: push-monolithic, push-chunked, pull, pull-concurrent, small-blobs, concurrent-images, tags,
 * and lookup (keep-alive HEAD or GET load on one URL); bench/run drives wrk itself for manifest GET.
 *
 * <p>Blob content is a random block (at most 1 MiB, from a seed) repeated up to the blob's size, so a
 * GiB blob is streamed and hashed without ever being held in memory, and every run pushes the same
 * bytes to both registries. Pulled blobs are compared byte for byte with that content as they arrive.
 * HTTP goes through a small keep-alive HTTP/1.1 client of its own (see {@link Http} for why).
 * Throughput is in MB/s of 10^6 bytes.
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
        if (mode.equals("ideal-server")) {
            IdealServer.run(Options.parse(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        if (mode.equals("sha256-cost")) {
            System.out.println(Json.write(Sha256Cost.measure(Options.parse(Arrays.copyOfRange(args, 1, args.length)))));
            return;
        }
        Registry registry = new Registry(URI.create(args[1]));
        Options options = Options.parse(Arrays.copyOfRange(args, 2, args.length));
        switch (mode) {
            case "prepare-blob" -> System.out.println(Scenarios.prepareBlob(registry, options));
            case "prepare-lookups" -> System.out.print(Scenarios.prepareLookups(registry));
            case "warm-up" -> WarmUp.run(registry, options);
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

        /** Untimed set-up of the lookup scenarios: a small image tagged "latest"; prints the paths they request. */
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
            registry.pushMonolithic(o.text("repo", "bench/push-monolithic"), blob, digest);
            return Map.of("throughput_mb_per_s", mbPerSecond(blob.size(), System.nanoTime() - start));
        }

        static Map<String, Object> pushChunked(Registry registry, Options o) throws Exception {
            Content blob = Content.random(o.number("seed", 2), o.number("size-mib", 1024) * MIB);
            long chunk = o.number("chunk-mib", 16) * MIB;
            String digest = blob.digest();
            long start = System.nanoTime();
            URI location = registry.startUpload(o.text("repo", "bench/push-chunked"));
            for (long offset = 0; offset < blob.size(); offset += chunk) {
                location = registry.patch(location, blob, offset, Math.min(offset + chunk, blob.size()));
            }
            registry.finishUpload(location, digest, null);
            return Map.of("throughput_mb_per_s", mbPerSecond(blob.size(), System.nanoTime() - start));
        }

        static Map<String, Object> pull(Registry registry, Options o) throws Exception {
            long start = System.nanoTime();
            long bytes = registry.pullBlob(o.text("repo"), o.text("digest"), pulledContent(o));
            return Map.of("throughput_mb_per_s", mbPerSecond(bytes, System.nanoTime() - start));
        }

        /** The content prepare-blob pushed for a pull scenario, rebuilt from the same seed and size. */
        private static Content pulledContent(Options o) {
            return Content.random(o.number("seed", 1), o.number("size-mib", 1024) * MIB);
        }

        static Map<String, Object> pullConcurrent(Registry registry, Options o) throws Exception {
            String repo = o.text("repo");
            String digest = o.text("digest");
            int clients = (int) o.number("clients", 16);
            long start = System.nanoTime();
            Content expected = pulledContent(o);
            List<Long> sizes = Parallel.run(clients, clients, i -> registry.pullBlob(repo, digest, expected));
            long total = sizes.stream().mapToLong(Long::longValue).sum();
            return Map.of("aggregate_mb_per_s", mbPerSecond(total, System.nanoTime() - start));
        }

        /** Many tiny monolithic pushes (POST + PUT each): per-request overhead rather than bandwidth. */
        static Map<String, Object> smallBlobs(Registry registry, Options o) throws Exception {
            int count = (int) o.number("count", 2000);
            int clients = (int) o.number("clients", 8);
            long size = o.number("size-kib", 4) * 1024;
            long seed = o.number("seed", 100_000);
            String repo = o.text("repo", "bench/small-blobs");
            // Distinct contents and their digests are made before the clock starts.
            List<Content> blobs = new ArrayList<>(count);
            List<String> digests = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Content blob = Content.random(seed + i, size);
                blobs.add(blob);
                digests.add(blob.digest());
            }
            long start = System.nanoTime();
            List<Long> latencies = Parallel.run(count, clients, i -> {
                long began = System.nanoTime();
                registry.pushMonolithic(repo, blobs.get(i), digests.get(i));
                return System.nanoTime() - began;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("pushes_per_s", count / seconds);
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            metrics.put("p50_ms", Stats.percentile(sorted, 50) / 1e6);
            metrics.put("p99_ms", Stats.percentile(sorted, 99) / 1e6);
            return metrics;
        }

        /** Images pushed at the same time, each by one client: layers one after another, then config and manifest. */
        static Map<String, Object> concurrentImages(Registry registry, Options o) throws Exception {
            int images = (int) o.number("images", 16);
            int layers = (int) o.number("layers", 5);
            long layerSize = o.number("layer-mib", 8) * MIB;
            long seed = o.number("seed", 200_000);
            String prefix = o.text("repo-prefix", "bench/image-");
            List<Image> built = new ArrayList<>(images);
            for (int i = 0; i < images; i++) {
                List<Blob> contents = new ArrayList<>(layers);
                for (int l = 0; l < layers; l++) {
                    contents.add(Blob.of(Content.random(seed + i * 100L + l, layerSize)));
                }
                built.add(Image.of(i, contents));
            }
            long start = System.nanoTime();
            Parallel.run(images, images, i -> {
                registry.pushImage(String.format(Locale.ROOT, "%s%02d", prefix, i), "latest", built.get(i));
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
            String repo = o.text("repo", "bench/tags");
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
    }

    /**
     * Untimed traffic of every kind the scenarios measure, smaller and on repositories of its own
     * ({@code bench/warm-up*}), sent to a freshly started server before the measured scenarios. A
     * registry is a long-running server: this measures its steady state rather than its first minute,
     * when a JVM is still compiling its hot paths. The same requests go to both registries.
     */
    static final class WarmUp {
        static void run(Registry registry, Options o) throws Exception {
            String mib = String.valueOf(o.number("size-mib", 128));
            String chunkMib = String.valueOf(o.number("chunk-mib", 16));
            String smallBlobs = String.valueOf(o.number("small-blobs", 16000));
            String tags = String.valueOf(o.number("tags", 8000));
            long imageRounds = o.number("image-rounds", 3);
            String seconds = String.valueOf(o.number("seconds", 3));
            for (int i = 0; i < 3; i++) {
                Scenarios.pushMonolithic(registry, options("repo", "bench/warm-up", "size-mib", mib, "seed", "90" + i));
            }
            for (int i = 0; i < 2; i++) {
                Scenarios.pushChunked(registry, options("repo", "bench/warm-up", "size-mib", mib, "chunk-mib", chunkMib,
                        "seed", "95" + i));
            }
            String digest = Content.random(900, Long.parseLong(mib) * MIB).digest();
            for (int i = 0; i < 3; i++) {
                Scenarios.pull(registry, options("repo", "bench/warm-up", "digest", digest, "seed", "900", "size-mib", mib));
            }
            Scenarios.smallBlobs(registry, options("repo", "bench/warm-up", "count", smallBlobs, "seed", "500000"));
            for (long round = 0; round < imageRounds; round++) {
                // 2 MiB layers: above the whole-body size, so the layers take the streamed path the scenario does
                Scenarios.concurrentImages(registry, options("repo-prefix", "bench/warm-up-image-", "images", "8",
                        "layer-mib", "2", "seed", String.valueOf(700_000 + round * 10_000)));
            }
            Scenarios.tags(registry, options("repo", "bench/warm-up", "count", tags, "full-repeats", "5",
                    "page-repeats", "5"));
            Image image = Image.small(13);
            registry.pushImage("bench/warm-up", "lookup", image);
            String manifest = "/v2/bench/warm-up/manifests/lookup";
            String blob = "/v2/bench/warm-up/blobs/" + image.layers().get(0).digest();
            for (String[] lookup : new String[][] {{manifest, "HEAD"}, {manifest, "GET"}, {blob, "HEAD"}}) {
                Lookup.run(registry, options("path", lookup[0], "method", lookup[1], "seconds", seconds,
                        "accept", OCI_MANIFEST));
            }
        }

        private static Options options(String... keysAndValues) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                values.put(keysAndValues[i], keysAndValues[i + 1]);
            }
            return new Options(values);
        }
    }

    /**
     * Keep-alive HEAD or GET load on one URL for a fixed time, each connection sending its next request
     * when the previous response is complete (wrk's model). It exists because wrk 4.1 cannot finish a
     * HEAD response that carries a Content-Length: it waits for a body that never comes.
     */
    static final class Lookup {
        static Map<String, Object> run(Registry registry, Options o) throws Exception {
            URI target = registry.uri(o.text("path"));
            String method = o.text("method");
            int connections = (int) o.number("connections", 64);
            long duration = TimeUnit.SECONDS.toNanos(o.number("seconds", 10));
            Map<String, String> headers = Map.of("Accept", o.values().getOrDefault("accept", "*/*"));

            long start = System.nanoTime();
            long deadline = start + duration;
            List<Worker> done = new ArrayList<>();
            // Virtual threads: 64 blocking connections multiplexed on as many carriers as there are cores.
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Worker>> futures = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    futures.add(pool.submit(() -> new Worker().run(target, method, headers, deadline)));
                }
                for (Future<Worker> future : futures) {
                    done.add(future.get(duration + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] latencies = done.stream().flatMapToLong(w -> Arrays.stream(w.latencies, 0, w.count)).sorted().toArray();
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("requests_per_s", latencies.length / seconds);
            metrics.put("p50_ms", Stats.percentile(latencies, 50) / 1e6);
            metrics.put("p99_ms", Stats.percentile(latencies, 99) / 1e6);
            metrics.put("error_count", done.stream().mapToLong(w -> w.errors).sum());
            metrics.put("request_count", latencies.length);
            return metrics;
        }

        /** One connection's loop; it reconnects when the server closes the connection or a request fails. */
        static final class Worker {
            long[] latencies = new long[4096];
            int count;
            long errors;

            Worker run(URI target, String method, Map<String, String> headers, long deadline) {
                while (System.nanoTime() < deadline) {
                    try (Connection connection = new Connection(target, 16 * 1024)) {
                        while (connection.open && System.nanoTime() < deadline) {
                            long began = System.nanoTime();
                            Response response = connection.exchange(method, target, headers, null, 0, 0, Sink.DISCARD);
                            record(System.nanoTime() - began);
                            if (response.status() != 200) {
                                errors++;
                            }
                        }
                    } catch (IOException e) {
                        errors++;
                        pause(); // a refused or dropped connection must not turn into a busy loop
                    }
                }
                return this;
            }

            private void record(long nanos) {
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = nanos;
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

        String text(String key, String fallback) {
            return values.getOrDefault(key, fallback);
        }

        String text(String key) {
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("missing option " + key + "=...");
            }
            return value;
        }
    }

    /**
     * Deterministic bytes: a random block from a seed, repeated up to {@code size}. The block is kept
     * off-heap as well, so bodies are written to the socket and received bytes compared without a copy.
     */
    record Content(byte[] block, ByteBuffer direct, long size) {
        Content(byte[] block, long size) {
            this(block, ByteBuffer.allocateDirect(block.length).put(block).flip().asReadOnlyBuffer(), size);
        }

        static Content random(long seed, long size) {
            byte[] block = new byte[(int) Math.min(size, MIB)];
            new SplittableRandom(seed).nextBytes(block);
            return new Content(block, size);
        }

        static Content of(byte[] bytes) {
            return new Content(bytes, bytes.length);
        }

        /**
         * Whether the received bytes equal the content at {@code position}: a vectorised comparison with
         * the block, so verifying a pull costs the client far less than hashing it, and the pull
         * scenarios measure the registry rather than the client's SHA-256.
         */
        boolean matches(long position, ByteBuffer bytes) {
            if (position < 0 || position + bytes.remaining() > size) {
                return false;
            }
            int offset = bytes.position();
            for (ByteBuffer piece : pieces(position, position + bytes.remaining())) {
                if (bytes.slice(offset, piece.remaining()).mismatch(piece) >= 0) {
                    return false;
                }
                offset += piece.remaining();
            }
            return true;
        }

        /** The bytes in [from, to) as slices of the off-heap block, in order. */
        List<ByteBuffer> pieces(long from, long to) {
            List<ByteBuffer> pieces = new ArrayList<>();
            for (long position = from; position < to; ) {
                int inBlock = (int) (position % block.length);
                int n = (int) Math.min(block.length - inBlock, to - position);
                pieces.add(direct.slice(inBlock, n));
                position += n;
            }
            return pieces;
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

    /** The registry protocol calls the scenarios use. */
    static final class Registry {
        private final URI base;
        private final Http http;

        Registry(URI base) {
            this.base = base;
            this.http = new Http();
        }

        URI uri(String path) {
            return base.resolve(path);
        }

        URI startUpload(String repo) throws IOException {
            Response response = expect(202, "POST", uri("/v2/" + repo + "/blobs/uploads/"), Map.of(), null, 0);
            return location(uri("/v2/" + repo + "/blobs/uploads/"), response);
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
            Map<String, String> headers = Map.of("Content-Type", "application/octet-stream",
                    "Content-Range", from + "-" + (to - 1));
            Response response = http.send("PATCH", location, headers, content, from, to, null);
            check(202, "PATCH", location, response);
            return location(location, response);
        }

        /** The closing PUT ?digest=, with the whole content as body or (null) with an empty one. */
        void finishUpload(URI location, String digest, Content content) throws IOException {
            // Distribution's Location carries a _state query, so the digest may be a second parameter.
            String separator = location.getRawQuery() == null ? "?" : "&";
            URI put = URI.create(location + separator + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
            Response response = expect(201, "PUT", put, Map.of("Content-Type", "application/octet-stream"), content,
                    content == null ? 0 : content.size());
            String stored = response.header("Docker-Content-Digest");
            if (stored != null && !stored.equals(digest)) {
                throw new IOException("registry stored " + stored + " for " + digest);
            }
        }

        void putManifest(String repo, String reference, byte[] manifest) throws IOException {
            expect(201, "PUT", uri("/v2/" + repo + "/manifests/" + reference), Map.of("Content-Type", OCI_MANIFEST),
                    Content.of(manifest), manifest.length);
        }

        void pushImage(String repo, String tag, Image image) throws IOException {
            for (Blob layer : image.layers()) {
                pushBlob(repo, layer);
            }
            pushBlob(repo, image.config());
            putManifest(repo, tag, image.manifest());
        }

        /**
         * GETs a blob and checks every byte against the content it was pushed from as it streams in
         * (see {@link Content#matches}), and the digest the registry names; returns its size.
         */
        long pullBlob(String repo, String digest, Content expected) throws IOException {
            URI blob = uri("/v2/" + repo + "/blobs/" + digest);
            long[] total = {0};
            Response response = http.send("GET", blob, Map.of(), null, 0, 0, bytes -> {
                if (!expected.matches(total[0], bytes)) {
                    throw new IOException("GET " + blob + ": bytes " + total[0] + "-" + (total[0] + bytes.remaining() - 1)
                            + " differ from what was pushed");
                }
                total[0] += bytes.remaining();
            });
            check(200, "GET", blob, response);
            if (total[0] != expected.size()) {
                throw new IOException("GET " + blob + " returned " + total[0] + " bytes, not " + expected.size());
            }
            String named = response.header("Docker-Content-Digest");
            if (named != null && !named.equals(digest)) {
                throw new IOException("GET " + blob + " named its digest " + named);
            }
            return total[0];
        }

        String getText(URI uri) throws IOException {
            return expect(200, "GET", uri, Map.of("Accept", "application/json"), null, 0).text();
        }

        private Response expect(int status, String method, URI uri, Map<String, String> headers, Content body, long size)
                throws IOException {
            Response response = http.send(method, uri, headers, body, 0, size, null);
            check(status, method, uri, response);
            return response;
        }

        private static void check(int expected, String method, URI uri, Response response) throws IOException {
            if (response.status() != expected) {
                String body = response.text();
                throw new IOException(method + " " + uri + ": expected " + expected + ", got " + response.status() + " "
                        + body.substring(0, Math.min(body.length(), 2000)));
            }
        }

        private static URI location(URI request, Response response) throws IOException {
            String location = response.header("Location");
            if (location == null) {
                throw new IOException(request + ": no Location header");
            }
            return request.resolve(location); // relative (Berth) or absolute (Distribution)
        }
    }

    /**
     * A minimal HTTP/1.1 client over plain sockets whose keep-alive connections are reused across
     * requests and threads. java.net.http.HttpClient was measured here at 0.2-0.4 GB/s for a download
     * that curl received at 1.4 GB/s, so with it a pull would have measured the client rather than the
     * faster registry; this one writes bodies straight from the content block and reads them into one
     * buffer. Fixed-length and chunked responses, no redirects (neither registry sends one here).
     */
    static final class Http {
        private final Queue<Connection> idle = new ConcurrentLinkedQueue<>();

        /** A 2xx response's body goes to the sink when there is one; other bodies are kept for the error message. */
        Response send(String method, URI uri, Map<String, String> headers, Content body, long from, long to, Sink sink)
                throws IOException {
            Connection connection = idle.poll();
            if (connection != null && !connection.target.equals(authority(uri))) {
                connection.close(); // never the case with these registries, whose Locations stay on one host
                connection = null;
            }
            if (connection == null) {
                connection = new Connection(uri, MIB);
            }
            try {
                Response response = connection.exchange(method, uri, headers, body, from, to, sink);
                if (connection.open) {
                    idle.add(connection);
                } else {
                    connection.close();
                }
                return response;
            } catch (IOException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }

        static String authority(URI uri) {
            return uri.getHost() + ":" + uri.getPort();
        }
    }

    /** Takes the bytes of a response body piece by piece: the buffer's remaining bytes, valid during the call only. */
    interface Sink {
        Sink DISCARD = bytes -> { };

        void accept(ByteBuffer bytes) throws IOException;
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * One HTTP/1.1 connection: a request at a time, the response read completely before the next. A
     * non-blocking channel with a selector, so that bodies go between the socket and off-heap buffers
     * without the extra copy a socket stream makes, and every wait still has a timeout.
     */
    static final class Connection implements AutoCloseable {
        private static final int MAX_KEPT_BODY = 16 * MIB;
        /** Per wait for the socket: a stalled server fails the step instead of hanging it. */
        private static final long TIMEOUT_MS = 120_000;
        /** Sent with every request when set: the registry token bench/run fetched, as a client would. */
        private static final String AUTHORIZATION = blankToNull(System.getenv("BENCH_AUTHORIZATION"));
        final String target;
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;
        /** Received bytes not consumed yet: between position and limit. */
        private final ByteBuffer buffer;
        boolean open = true;

        Connection(URI uri, int bufferSize) throws IOException {
            target = Http.authority(uri);
            channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.socket().connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
                channel.configureBlocking(false);
                selector = Selector.open();
                key = channel.register(selector, 0);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            buffer = ByteBuffer.allocateDirect(bufferSize).flip();
        }

        Response exchange(String method, URI uri, Map<String, String> headers, Content body, long from, long to,
                Sink sink) throws IOException {
            StringBuilder head = new StringBuilder(method).append(' ').append(uri.getRawPath());
            if (uri.getRawQuery() != null) {
                head.append('?').append(uri.getRawQuery());
            }
            head.append(" HTTP/1.1\r\nHost: ").append(target).append("\r\n");
            if (AUTHORIZATION != null) {
                head.append("Authorization: ").append(AUTHORIZATION).append("\r\n");
            }
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (!method.equals("GET") && !method.equals("HEAD")) {
                head.append("Content-Length: ").append(body == null ? 0 : to - from).append("\r\n");
            }
            writeFully(ByteBuffer.wrap(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1)));
            if (body != null) {
                for (ByteBuffer piece : body.pieces(from, to)) {
                    writeFully(piece);
                }
            }
            return readResponse(method.equals("HEAD"), sink);
        }

        private void writeFully(ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    await(SelectionKey.OP_WRITE);
                }
            }
        }

        /** Waits until the channel can do {@code operation}, or fails after the timeout. */
        private void await(int operation) throws IOException {
            key.interestOps(operation);
            try {
                if (selector.select(TIMEOUT_MS) == 0) {
                    throw new IOException("no progress from " + target + " in " + TIMEOUT_MS / 1000 + " s");
                }
                selector.selectedKeys().clear();
            } finally {
                key.interestOps(0);
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }

        private Response readResponse(boolean head, Sink sink) throws IOException {
            String[] statusLine = readLine().split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response: " + String.join(" ", statusLine));
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, String> headers = new HashMap<>();
            for (int i = 0; ; i++) {
                if (i == 200) {
                    throw new IOException("more than 200 response headers");
                }
                String line = readLine();
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            }
            open = !"close".equalsIgnoreCase(headers.get("connection"));
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            Sink target = status / 100 == 2 && sink != null ? sink : bytes -> {
                if (kept.size() < MAX_KEPT_BODY) {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    kept.write(copy, 0, copy.length);
                }
            };
            if (!head && status != 204 && status != 304) {
                String length = headers.get("content-length");
                if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                    readChunks(target);
                } else if (length != null) {
                    readBody(Long.parseLong(length), target);
                } else {
                    readBody(Long.MAX_VALUE, target); // delimited by the end of the connection
                    open = false;
                }
            }
            return new Response(status, headers, kept.toByteArray());
        }

        /** Reads {@code length} bytes (or up to the end of the stream for Long.MAX_VALUE) into the sink. */
        private void readBody(long length, Sink sink) throws IOException {
            for (long left = length; left > 0; ) {
                if (!buffer.hasRemaining() && !fill()) {
                    if (length == Long.MAX_VALUE) {
                        return;
                    }
                    throw new IOException("connection closed " + left + " bytes before the end of the body");
                }
                int n = (int) Math.min(left, buffer.remaining());
                sink.accept(buffer.slice(buffer.position(), n));
                buffer.position(buffer.position() + n);
                left -= n;
            }
        }

        private void readChunks(Sink sink) throws IOException {
            for (int i = 0; i < 10_000_000; i++) {
                String line = readLine();
                int semicolon = line.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    for (int t = 0; t < 200 && !readLine().isEmpty(); t++) {
                        // trailer fields, up to the empty line
                    }
                    return;
                }
                readBody(size, sink);
                readLine(); // the CRLF that ends the chunk's data
            }
            throw new IOException("too many chunks");
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 16 * 1024; i++) {
                if (!buffer.hasRemaining() && !fill()) {
                    throw new IOException("connection closed by the server");
                }
                char c = (char) (buffer.get() & 0xff);
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append(c);
            }
            throw new IOException("response line longer than 16 KiB");
        }

        /** Reads more into the empty buffer; false at the end of the stream. */
        private boolean fill() throws IOException {
            buffer.clear();
            try {
                int n;
                while ((n = channel.read(buffer)) == 0) {
                    await(SelectionKey.OP_READ);
                }
                if (n < 0) {
                    open = false;
                    return false;
                }
                return true;
            } finally {
                buffer.flip();
            }
        }

        @Override
        public void close() throws IOException {
            open = false;
            try (selector) {
                channel.close();
            }
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
        /** Nearest-rank percentile of sorted values; 0 when there are none. */
        static long percentile(long[] sorted, int p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }

        static double median(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    /**
     * Aggregation of bench/run's records: medians over rounds per scenario, metric, storage and registry,
     * and the ratios of Berth, and of its baseline build when one ran, to Distribution and to each other,
     * written as latest.json, latest.md and latest-ratios.svg.
     */
    static final class Report {
        static final String BERTH = "berth";
        static final String BASELINE = "berth-baseline";
        static final String DIST = "distribution";

        /** Whether more is better, decided by the metric name's unit suffix; INFO metrics get no ratio. */
        enum Direction {
            HIGHER, LOWER, INFO;

            static Direction of(String metric) {
                if (metric.endsWith("_per_s")) {
                    return HIGHER;
                }
                // Fewer threads: less memory for their stacks and less for the scheduler to share out.
                if (metric.endsWith("_s") || metric.endsWith("_ms") || metric.endsWith("_mib")
                        || metric.endsWith("_per_gib") || metric.endsWith("_per_request") || metric.endsWith("threads")) {
                    return LOWER;
                }
                return INFO;
            }
        }

        /** A registry as the report names it: in column headers, and abbreviated in ratios. */
        record Server(String registry, String title, String abbreviation) {
            /** The prefix of its keys in latest.json: berth_median, berth_baseline_rounds. */
            String jsonKey() {
                return registry.replace('-', '_');
            }
        }

        static final Server BERTH_SERVER = new Server(BERTH, "Berth", "B");
        static final Server BASELINE_SERVER = new Server(BASELINE, "Berth baseline", "BL");
        static final Server DIST_SERVER = new Server(DIST, "Distribution", "D");

        /** Two registries compared: the ratio is above 1 when the first did better. */
        record Comparison(Server first, Server second, String jsonKey) {
            String header() {
                return first.abbreviation() + " vs " + second.abbreviation();
            }

            String kind(Direction direction) {
                return switch (direction) {
                    case HIGHER -> first.registry() + "/" + second.registry() + " (higher is better)";
                    case LOWER -> second.registry() + "/" + first.registry() + " (lower is better)";
                    case INFO -> "none (informational)";
                };
            }
        }

        static final Comparison BERTH_VS_DIST = new Comparison(BERTH_SERVER, DIST_SERVER, "ratio");
        static final Comparison BASELINE_VS_DIST = new Comparison(BASELINE_SERVER, DIST_SERVER, "baseline_ratio");
        static final Comparison BERTH_VS_BASELINE = new Comparison(BERTH_SERVER, BASELINE_SERVER, "berth_vs_baseline_ratio");

        /** The registries of a run and their comparisons: the baseline only when the run had one. */
        record Layout(List<Server> servers, List<Comparison> comparisons) {
            static Layout of(List<Map<String, Object>> records) {
                boolean baseline = records.stream().anyMatch(r -> BASELINE.equals(r.get("registry")));
                return baseline
                        ? new Layout(List.of(BERTH_SERVER, BASELINE_SERVER, DIST_SERVER),
                                List.of(BERTH_VS_DIST, BASELINE_VS_DIST, BERTH_VS_BASELINE))
                        : new Layout(List.of(BERTH_SERVER, DIST_SERVER), List.of(BERTH_VS_DIST));
            }
        }

        /** The values of one scenario, metric and storage over the rounds, by registry. */
        record Row(String scenario, String metric, String storage, Direction direction,
                Map<String, List<Double>> values) {
            Double median(Server server) {
                List<Double> rounds = values.getOrDefault(server.registry(), List.of());
                return rounds.isEmpty() ? null : Stats.median(rounds);
            }

            int rounds(Server server) {
                return values.getOrDefault(server.registry(), List.of()).size();
            }

            /** Greater than 1 means the comparison's first registry did better, whichever the direction. */
            Double ratio(Comparison comparison) {
                Double first = median(comparison.first());
                Double second = median(comparison.second());
                if (first == null || second == null || direction == Direction.INFO) {
                    return null;
                }
                double numerator = direction == Direction.HIGHER ? first : second;
                double denominator = direction == Direction.HIGHER ? second : first;
                return denominator == 0 ? null : numerator / denominator;
            }

            /** Berth against Distribution: greater than 1 means Berth did better. */
            Double ratio() {
                return ratio(BERTH_VS_DIST);
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
            Layout layout = Layout.of(records);
            List<Map<String, Object>> failures = records.stream().filter(r -> r.containsKey("error")).toList();

            Files.createDirectories(outDir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("generated", Instant.now().toString());
            json.put("machine", machine);
            json.put("medians", rows.stream().map(row -> rowJson(row, layout)).toList());
            json.put("failures", failures);
            json.put("rounds", records);
            Files.writeString(outDir.resolve("latest.json"), Json.write(json) + "\n");
            Files.writeString(outDir.resolve("latest.md"), markdown(rows, layout, failures, machine));
            Files.writeString(outDir.resolve("latest-ratios.svg"), svg(rows, machine));
        }

        /** One row per scenario, metric and storage, in the order they were first recorded. */
        static List<Row> aggregate(List<Map<String, Object>> records) {
            Map<List<String>, Map<String, List<Double>>> values = new LinkedHashMap<>();
            Set<String> fixedDuration = new HashSet<>();
            for (Map<String, Object> record : records) {
                String scenario = String.valueOf(record.get("scenario"));
                Map<String, Object> metrics = new LinkedHashMap<>(castMap(record.getOrDefault("metrics", Map.of())));
                Map<String, Object> server = castMap(record.getOrDefault("server", Map.of()));
                server.forEach((k, v) -> metrics.put("server." + k, v));
                // A fixed-duration scenario's CPU time grows with the requests served, so it is compared per request.
                if (metrics.get("request_count") instanceof Number requests && requests.doubleValue() > 0
                        && server.get("cpu_user_total_s") instanceof Number user
                        && server.get("cpu_sys_total_s") instanceof Number sys) {
                    fixedDuration.add(scenario);
                    metrics.put("server.cpu_total_us_per_request",
                            (user.doubleValue() + sys.doubleValue()) * 1e6 / requests.doubleValue());
                }
                for (Map.Entry<String, Object> metric : metrics.entrySet()) {
                    if (metric.getValue() instanceof Number number) {
                        List<String> key = List.of(scenario, metric.getKey(), String.valueOf(record.get("storage")));
                        values.computeIfAbsent(key, k -> new LinkedHashMap<>())
                                .computeIfAbsent(String.valueOf(record.get("registry")), k -> new ArrayList<>())
                                .add(number.doubleValue());
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            values.forEach((key, byRegistry) -> {
                String scenario = key.get(0);
                String metric = key.get(1);
                // CPU seconds of fixed-duration scenarios, and so of the whole run, measure how much work got
                // done as much as how cheaply: shown, but not ranked.
                boolean workDependent = metric.startsWith("server.cpu_") && !metric.endsWith("_per_request")
                        && (fixedDuration.contains(scenario) || scenario.equals("whole-run"));
                rows.add(new Row(scenario, metric, key.get(2), workDependent ? Direction.INFO : Direction.of(metric),
                        byRegistry));
            });
            // Storage locations of one metric side by side.
            List<List<String>> metricOrder = values.keySet().stream().map(k -> k.subList(0, 2)).distinct().toList();
            rows.sort(Comparator.comparingInt(r -> metricOrder.indexOf(List.of(r.scenario(), r.metric()))));
            return rows;
        }

        static Map<String, Object> rowJson(Row row, Layout layout) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scenario", row.scenario());
            json.put("metric", row.metric());
            json.put("storage", row.storage());
            json.put("direction", row.direction().name().toLowerCase(Locale.ROOT));
            for (Server server : layout.servers()) {
                json.put(server.jsonKey() + "_median", row.median(server));
            }
            for (Server server : layout.servers()) {
                json.put(server.jsonKey() + "_rounds", row.rounds(server));
            }
            for (Comparison comparison : layout.comparisons()) {
                json.put(comparison.jsonKey(), row.ratio(comparison));
                json.put(comparison.jsonKey() + "_kind", comparison.kind(row.direction()));
            }
            return json;
        }

        static String markdown(List<Row> rows, Layout layout, List<Map<String, Object>> failures,
                Map<String, Object> machine) {
            boolean baseline = layout.servers().contains(BASELINE_SERVER);
            StringBuilder md = new StringBuilder(baseline
                    ? "# Berth vs its baseline build vs CNCF Distribution\n\n" : "# Berth vs CNCF Distribution\n\n");
            if ("1".equals(machine.get("quick"))) {
                md.append("**Quick validation run (BENCH_QUICK=1): tiny sizes, not a measurement.**\n\n");
            }
            for (String key : List.of("date", "rounds", "scenarios", "sizes", "storage_tmpfs", "storage_disk", "cpu",
                    "nproc", "memory", "kernel", "jdk", "distribution", "berth_build", "berth_commit", "baseline_build",
                    "baseline_commit", "berth_fsync", "transport")) {
                if (machine.containsKey(key)) {
                    md.append("- ").append(key).append(": ").append(machine.get(key)).append('\n');
                }
            }
            if (baseline) {
                md.append("\nMedians over rounds of Berth (B), its baseline build (BL) and Distribution (D). Each ratio ")
                        .append("compares two of them, X vs Y: X/Y for higher-is-better metrics (↑) and Y/X for ")
                        .append("lower-is-better ones (↓), so above 1 means X did better.");
            } else {
                md.append("\nMedians over rounds. The ratio is berth/distribution for higher-is-better metrics (↑) and ")
                        .append("distribution/berth for lower-is-better ones (↓): above 1 means Berth did better.");
            }
            md.append(" `server.*` metrics are the registry processes' own CPU, memory and threads; `*_total_*` ")
                    .append("includes Berth's PostgreSQL processes. `idle` is each server once warmed up, before the ")
                    .append("first scenario; `whole-run` is the round as a whole and the server at its end.\n\n");
            md.append("| scenario | metric | storage");
            layout.servers().forEach(server -> md.append(" | ").append(server.title()));
            layout.comparisons().forEach(comparison -> md.append(" | ").append(baseline ? comparison.header() : "ratio"));
            md.append(" |\n|---|---|---").append("|---".repeat(layout.servers().size() + layout.comparisons().size()))
                    .append("|\n");
            for (Row row : rows) {
                String arrow = switch (row.direction()) {
                    case HIGHER -> " ↑";
                    case LOWER -> " ↓";
                    case INFO -> "";
                };
                md.append("| ").append(row.scenario()).append(" | ").append(row.metric()).append(arrow)
                        .append(" | ").append(row.storage());
                layout.servers().forEach(server -> md.append(" | ").append(cell(row.median(server))));
                for (Comparison comparison : layout.comparisons()) {
                    Double ratio = row.ratio(comparison);
                    boolean higher = row.direction() == Direction.HIGHER;
                    Server numerator = higher ? comparison.first() : comparison.second();
                    Server denominator = higher ? comparison.second() : comparison.first();
                    md.append(" | ").append(ratio == null ? "–" : String.format(Locale.ROOT, "%.2f (%s/%s)", ratio,
                            numerator.abbreviation(), denominator.abbreviation()));
                }
                md.append(" |\n");
            }
            if (!failures.isEmpty()) {
                md.append("\n## Failed steps\n\n");
                for (Map<String, Object> failure : failures) {
                    md.append("- ").append(failure.get("storage")).append(" round ")
                            .append(cell(((Number) failure.get("round")).doubleValue()))
                            .append(' ').append(failure.get("registry")).append(' ').append(failure.get("scenario"))
                            .append(": ").append(failure.get("error")).append('\n');
                }
            }
            return md.toString();
        }

        /** Four significant digits: the rounds' spread makes more of them noise. */
        static String cell(Double value) {
            if (value == null) {
                return "–";
            }
            return BigDecimal.valueOf(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }

        /**
         * Horizontal bars of the Berth-to-Distribution ratios on a log2 axis centred on 1.0; right of the line
         * is Berth better. A baseline build's ratios are in the table only.
         * Of the server metrics only those including Berth's PostgreSQL are drawn (the table has the rest).
         */
        static String svg(List<Row> rows, Map<String, Object> machine) {
            List<Row> bars = rows.stream()
                    .filter(r -> r.ratio() != null)
                    .filter(r -> !r.metric().startsWith("server.") || r.metric().contains("_total")
                            || r.metric().endsWith("_per_request"))
                    .toList();
            int labelWidth = 420, plotWidth = 460, rowHeight = 18, top = 50;
            double maxLog = 4; // the axis spans 1/16x to 16x; longer bars are clipped and marked
            int width = labelWidth + plotWidth + 130;
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

    /**
     * A throw-away server that does nothing but move bytes, to show the machine's own limit beside the
     * registries' figures: any GET answers the blob file (written once from the same seeded content
     * the pull scenarios expect) by {@code sendfile} or by a user-space copy in 4 MiB reads, as
     * Distribution copies; POST answers 202 with a Location and PUT or PATCH read and discard their
     * body, so curl can push to it too. One thread per connection, keep-alive, no checks at all.
     */
    static final class IdealServer {
        private static final int COPY_BYTES = 4 * 1024 * 1024;

        static void run(Options o) throws Exception {
            Path file = Path.of(o.text("file"));
            boolean sendfile = o.text("mode").equals("sendfile");
            Content content = Content.random(o.number("seed", 3), o.number("size-mib", 1024) * MIB);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (ByteBuffer piece : content.pieces(0, content.size())) {
                    while (piece.hasRemaining()) {
                        out.write(piece);
                    }
                }
            }
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
                System.out.flush();
                while (true) {
                    SocketChannel connection = server.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(connection, file, sendfile));
                }
            }
        }

        private static void serve(SocketChannel connection, Path file, boolean sendfile) {
            ByteBuffer in = ByteBuffer.allocateDirect(COPY_BYTES).limit(0);
            try (connection; FileChannel blob = FileChannel.open(file, StandardOpenOption.READ)) {
                while (true) {
                    String head = readHead(connection, in);
                    if (head == null) {
                        return;
                    }
                    String method = head.substring(0, head.indexOf(' '));
                    long length = contentLength(head);
                    if (method.equals("GET")) {
                        write(connection, "HTTP/1.1 200 OK\r\nContent-Length: " + blob.size() + "\r\n\r\n");
                        if (sendfile) {
                            for (long at = 0; at < blob.size(); ) {
                                at += blob.transferTo(at, blob.size() - at, connection);
                            }
                        } else {
                            ByteBuffer chunk = ByteBuffer.allocateDirect(COPY_BYTES);
                            for (long at = 0; at < blob.size(); ) {
                                chunk.clear();
                                at += blob.read(chunk, at);
                                chunk.flip();
                                while (chunk.hasRemaining()) {
                                    connection.write(chunk);
                                }
                            }
                        }
                        continue;
                    }
                    // What followed the head in the buffer is the body's start.
                    long unread = length - in.remaining();
                    while (unread > 0) {
                        in.clear();
                        if (unread < in.capacity()) {
                            in.limit((int) unread);
                        }
                        int read = connection.read(in);
                        if (read < 0) {
                            return;
                        }
                        unread -= read;
                    }
                    in.clear().flip();
                    String status = method.equals("POST") ? "202 Accepted\r\nLocation: /upload/ideal" : "201 Created";
                    write(connection, "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\n\r\n");
                }
            } catch (IOException closed) {
                // the client went away
            }
        }

        /** The request head, with {@code in} left holding what followed it; null at the end of the connection. */
        private static String readHead(SocketChannel connection, ByteBuffer in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (true) {
                while (in.hasRemaining()) {
                    head.append((char) in.get());
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        return head.toString();
                    }
                }
                in.clear();
                if (connection.read(in) < 0) {
                    return null;
                }
                in.flip();
            }
        }

        private static long contentLength(String head) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            return 0;
        }

        private static void write(SocketChannel connection, String text) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                connection.write(bytes);
            }
        }
    }

    /**
     * What SHA-256 alone costs on this machine, the floor under a registry's CPU per byte pushed: this
     * JVM's digest (the same intrinsic the registry uses) over the blob content, in CPU seconds per GiB.
     */
    static final class Sha256Cost {
        static Map<String, Object> measure(Options o) {
            Content content = Content.random(1, o.number("size-mib", 1024) * MIB);
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            content.digest(); // compiled before it is measured
            long cpu = threads.getCurrentThreadCpuTime();
            content.digest();
            double seconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            return Map.of("sha256_cpu_s_per_gib", Math.round(seconds * 1024 * 1000 / (content.size() / (double) MIB)) / 1000.0);
        }
    }
}
