package io.berth.api.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Berth's own settings, under {@code berth.}; each is also an environment variable ({@code BERTH_DATA_DIR}, ...). */
@ConfigMapping(prefix = "berth")
public interface BerthConfig {

    /** Where the embedded PostgreSQL, filesystem blobs and generated keys live. */
    @WithDefault("./data")
    String dataDir();

    Storage storage();

    Manifest manifest();

    Upload upload();

    Auth auth();

    Gc gc();

    Autoprune autoprune();

    Namespaces namespaces();

    Database database();

    PullStatistics pullStatistics();

    /**
     * The URL clients reach this registry at ({@code https://registry.example.com}), when it differs
     * from what requests say (a proxy that rewrites the host); it names the token realm, upload and
     * manifest {@code Location}s and Docker configurations. By default each request's own scheme and
     * host, or what a proxy's {@code Forwarded} / {@code X-Forwarded-Proto} / {@code X-Forwarded-Host} says.
     */
    Optional<URI> externalUrl();

    Tls tls();

    /**
     * HTTPS on {@code quarkus.http.ssl-port}, beside plain HTTP on {@code quarkus.http.port} (which
     * {@code quarkus.http.insecure-requests} turns off or makes redirect). These settings are read by
     * {@code io.berth.api.tls.TlsConfigSource}, which hands them to Quarkus' TLS registry.
     */
    interface Tls {
        /** A PEM file with the server certificate followed by its chain. */
        Optional<String> certFile();

        /** The PEM file with the certificate's private key (PKCS#8, or PKCS#1 for RSA). */
        Optional<String> keyFile();

        /** Instead of PEM files: a PKCS#12 ({@code .p12}, {@code .pfx}) or JKS ({@code .jks}) key store. */
        Optional<String> keyStoreFile();

        Optional<String> keyStorePassword();

        /**
         * Create, once, a local certificate authority and a server certificate for {@link #hostNames}
         * under {@code <data-dir>/tls}, and serve HTTPS with them. For a single host without a
         * certificate of its own; ignored when {@link #certFile} or {@link #keyStoreFile} is set.
         */
        @WithDefault("false")
        boolean selfSigned();

        /**
         * The TLS implementation: {@code auto} (BoringSSL where its native library loads, else the
         * JDK's), {@code openssl} (BoringSSL, or fail to start), or {@code jdk}.
         */
        @WithDefault("auto")
        String engine();

        /** The names and addresses the self-signed certificate covers; localhost, this machine's name and loopback by default. */
        Optional<List<String>> hostNames();

        /** How often the certificate files are checked for a change (a rotation by cert-manager, say) and reloaded. */
        @WithDefault("1m")
        Duration reloadPeriod();
    }

    /** Pull counts and last pull times of tags and manifests, counted in memory and written in batches. */
    interface PullStatistics {
        /** Count pulls (manifest GETs); off, nothing is counted and the listings keep what was written before. */
        @WithDefault("true")
        boolean enabled();

        /** How often each node adds what it counted to the database (and so how late the listings show a pull). */
        @WithDefault("5s")
        Duration flushInterval();

        /**
         * How many distinct tags, and as many manifests, a node keeps counts for between two writes
         * (while the database is away, too); pulls of further ones are dropped and counted in
         * {@code berth_pull_statistics_dropped_total}.
         */
        @WithDefault("100000")
        int maxPending();
    }

    interface Database {
        /** How long a request waits for a free metadata connection before it is refused with 503. */
        @WithDefault("5s")
        Duration acquireTimeout();

        /** How many requests may wait for a metadata connection at once; more are refused with 503 at once. */
        @WithDefault("1024")
        int maxWaiting();
    }

    interface Namespaces {
        /**
         * Whether an administrator's push to a namespace that does not exist (or creating a repository
         * there) creates it, as an organization without members. Off by default: the push is refused
         * with {@code NAME_UNKNOWN} and the organization is created through the API first.
         */
        @WithDefault("false")
        boolean createOnPush();
    }

    interface Gc {
        /** Background collection on every node: reviews that are due are settled as they come. */
        @WithDefault("true")
        boolean enabled();

        /** How long after a blob or manifest may have become unreferenced it is reviewed. */
        @WithDefault("24h")
        Duration reviewDelay();

        /**
         * How long after a client last relied on a blob (uploaded it, found it with HEAD, mounted it)
         * or pushed a manifest nothing deletes it, whatever the review delay or an on-demand run says.
         */
        @WithDefault("1h")
        Duration safetyWindow();

        /** How old an object in storage without metadata must be before the orphan sweep deletes it. */
        @WithDefault("24h")
        Duration orphanMinAge();
    }

    interface Autoprune {
        /** Whether nodes run the namespaces' auto-prune policies on a schedule; runs on demand work either way. */
        @WithDefault("true")
        boolean enabled();

        /** How often each namespace with policies is pruned, by whichever node gets to it first. */
        @WithDefault("1h")
        Duration interval();

        /** How long a run may go without a sign of life before its node counts as gone and the namespace may be pruned again. */
        @WithDefault("10m")
        Duration staleAfter();
    }

    interface Auth {
        /** Password of the first administrator {@code admin}; generated and printed once when unset. */
        Optional<String> adminPassword();

        /**
         * The service name registry tokens are issued for (their audience). One fixed default so
         * that every node of a deployment accepts every other node's tokens without configuration.
         */
        @WithDefault("berth")
        String service();

        /** Lifetime of registry tokens. */
        @WithDefault("5m")
        Duration tokenTtl();

        /**
         * The token endpoint's URL as clients must reach it (e.g. behind a proxy); by default
         * derived from each request's scheme and Host.
         */
        Optional<String> realm();

        /** A PKCS#8 PEM file with the RSA key that signs registry tokens; generated and kept in PostgreSQL when unset. */
        Optional<String> signingKey();

        /** How credential checks made on a caller's behalf (POST /api/v1/verify-pull) are slowed after failures. */
        SignInThrottle signInThrottle();

        interface SignInThrottle {
            /** Failed checks of one username within a window before its checks are refused (429) until the window ends. */
            @WithDefault("10")
            int perName();

            /** Failed checks from one address within a window before its checks are refused. */
            @WithDefault("100")
            int perAddress();

            /** The window, counted from the first failure. */
            @WithDefault("5m")
            Duration window();
        }
    }

    interface Storage {
        /** {@code fs} (the default) or {@code s3}. */
        @WithDefault("fs")
        String type();

        Fs fs();

        S3 s3();

        interface S3 {
            /** The bucket (must exist). */
            Optional<String> bucket();

            @WithDefault("us-east-1")
            String region();

            /** A custom endpoint for S3-compatible stores (MinIO, Ceph RGW, ...); AWS when unset. */
            Optional<java.net.URI> endpoint();

            /** Address buckets as endpoint/bucket (most S3-compatible stores need this). */
            @WithDefault("false")
            boolean pathStyleAccess();

            /** A key prefix under which Berth keeps everything; none by default. */
            Optional<String> prefix();

            /** Static credentials; the default AWS credential chain when unset. */
            Optional<String> accessKeyId();

            Optional<String> secretAccessKey();

            /** Answer blob downloads with a 307 to a presigned URL, so bytes bypass the registry. */
            @WithDefault("false")
            boolean redirect();

            @WithDefault("20m")
            Duration redirectTtl();

            /** Multipart part size, also the upload buffer per request (at least 5M). */
            @WithDefault("5M")
            MemorySize partSize();
        }

        interface Fs {
            /** Blob root; defaults to {@code <data-dir>/blobs}. */
            Optional<String> root();

            /** Flush a blob to disk before its metadata commits, so a power loss cannot lose an acknowledged push. */
            @WithDefault("true")
            boolean fsync();

            /**
             * How blob files are sent: {@code sendfile}, {@code copy} (large reads into direct
             * buffers), or {@code auto}: whichever a probe at start-up finds faster on this machine.
             */
            @WithDefault("auto")
            String downloadPath();
        }
    }

    interface Manifest {
        /** The largest manifest accepted; larger pushes are refused with 413. */
        @WithDefault("4M")
        MemorySize maxSize();

        /**
         * Accept manifests whose blobs or child manifests were not pushed (sparse manifests, as a
         * single-platform mirror produces); off, such a push is refused with MANIFEST_BLOB_UNKNOWN.
         */
        @WithDefault("false")
        boolean allowSparse();
    }

    interface Upload {
        /** Age after which an unfinished upload is purged. */
        @WithDefault("24h")
        Duration purgeAfter();

        /**
         * The request-body bytes all uploads together may hold in memory (received, not yet hashed
         * and stored); above it, uploads are paused until memory comes back. A quarter of the heap
         * when unset.
         */
        Optional<MemorySize> memoryLimit();
    }
}
