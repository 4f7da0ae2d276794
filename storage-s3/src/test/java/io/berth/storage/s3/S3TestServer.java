package io.berth.storage.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy (from Maven Central) over an in-memory store, on a
 * loopback port, with AWS signature checking on. It can be stopped and started again on the same
 * port with its content kept, to play an outage.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "berth-test";
    public static final String SECRET_KEY = "berth-test-secret";
    public static final String REGION = "us-east-1";

    private final org.jclouds.blobstore.BlobStore backend;
    private final int port;
    private S3Proxy proxy;

    public S3TestServer() throws Exception {
        Properties properties = new Properties();
        this.backend = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(properties).buildView(BlobStoreContext.class).getBlobStore();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
        start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void start() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(backend)
                .endpoint(endpoint())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                throw new IOException("S3Proxy did not start");
            }
            Thread.sleep(20);
        }
    }

    public void stop() throws Exception {
        proxy.stop();
    }

    /** Creates a bucket (idempotent) and returns settings for a store on it. */
    public S3Settings bucket(String bucket, boolean redirect) {
        try (S3Client client = S3Client.builder().endpointOverride(endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true).build()) {
            if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                client.createBucket(b -> b.bucket(bucket));
            }
        }
        return new S3Settings(bucket, REGION, Optional.of(endpoint()), true, "berth", Optional.of(ACCESS_KEY),
                Optional.of(SECRET_KEY), redirect, Duration.ofMinutes(5), S3Settings.MIN_PART_SIZE);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }

    /**
     * Runs a server in its own process for tests of the packaged registry: creates the bucket named by
     * the first argument, prints {@code READY <endpoint>}, and serves until standard input closes.
     */
    public static void main(String[] args) throws Exception {
        try (S3TestServer server = new S3TestServer()) {
            server.bucket(args[0], false);
            System.out.println("READY " + server.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our input (or ends us)
            }
        }
    }
}
