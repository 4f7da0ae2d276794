package io.berth.api.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.api.testing.Cli;
import io.berth.api.testing.Containerd;
import io.berth.api.testing.Credentials;
import io.berth.api.testing.DockerDaemon;
import io.berth.api.testing.OciLayout;
import io.berth.api.testing.Podman;
import io.berth.api.testing.RegistryProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS as users run it, with certificate verification on in every client: the packaged registry
 * with its self-signed authority (curl over HTTP/2, skopeo, podman, containerd's ctr and the docker
 * engine, addressed by host names other than localhost), and with certificate files of the
 * operator's that are rotated under it, to a new certificate and then to an expired one. A client
 * that does not trust the authority, or is shown an expired certificate, is refused as it reports it.
 * BoringSSL serves all of that; the JDK's engine, when chosen, serves a PKCS#12 key store over HTTP/2
 * and HTTP/1.1 as well.
 */
class TlsIT {
    /** A name of the test's own that the docker engine resolves to this machine's non-loopback address. */
    private static final String DOCKER_HOST_NAME = "registry.berth.test";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;

    private static RegistryProcess registry;
    private static String host;
    private static Path ca;
    private static Path caDirectory;

    @BeforeAll
    static void startWithASelfSignedCertificate() throws IOException, InterruptedException {
        host = InetAddress.getLocalHost().getHostName();
        assertNotEquals("localhost", host, "the machine needs a name of its own");
        registry = new RegistryProcess(work.resolve("self-signed"), "-Dberth.tls.self-signed=true",
                "-Dberth.tls.host-names=" + host + ",localhost," + DOCKER_HOST_NAME + ",127.0.0.1");
        registry.start();
        registry.createOrganizations("tls");
        Credentials.registerHost(address());
        ca = work.resolve("self-signed/tls/ca.crt");
        // skopeo, podman and docker read a directory of CA certificates.
        caDirectory = Files.createDirectories(work.resolve("trusted"));
        Files.copy(ca, caDirectory.resolve("ca.crt"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theStartSaysWhereTheAuthorityIsAndHowEachClientTrustsIt() throws IOException {
        String log = registry.log();
        assertTrue(log.contains("HTTPS on port " + registry.httpsPort()), log);
        assertTrue(log.contains("TLS by BoringSSL"), "BoringSSL loads on Linux x86-64:\n" + log);
        for (String expected : List.of("authority " + ca, "/etc/docker/certs.d/" + host + ":" + registry.httpsPort() + "/ca.crt",
                "/etc/containers/certs.d/", "/etc/containerd/certs.d/", "curl --cacert " + ca)) {
            assertTrue(log.contains(expected), expected + " in\n" + log);
        }
    }

    @Test
    void curlSpeaksHttp2AndHttp11AndPlainHttpStaysOn() {
        assertEquals("2 401", curl("--cacert", ca.toString(), "https://" + address() + "/v2/"));
        assertEquals("1.1 401", curl("--http1.1", "--cacert", ca.toString(), "https://" + address() + "/v2/"));
        assertEquals("1.1 401", curl(registry.baseUrl() + "/v2/"));
        String headers = Cli.run("curl", "-sS", "--cacert", ca.toString(), "-D", "-", "-o", "/dev/null", "https://" + address() + "/v2/");
        assertTrue(headers.contains("realm=\"https://" + address() + "/v2/token\""), "the token realm is on HTTPS:\n" + headers);
    }

    @Test
    void skopeoPushesAndPodmanPullsWithVerification() {
        OciLayout layout = new OciLayout(work.resolve("layout-skopeo"));
        String digest = layout.addImage("v1", "amd64", 2, 50_000);
        String image = address() + "/tls/skopeo:v1";
        Cli.run("skopeo", "copy", "--dest-tls-verify=true", "--dest-cert-dir", caDirectory.toString(), layout.reference("v1"),
                "docker://" + image);
        assertEquals(digest, Cli.run("skopeo", "inspect", "--tls-verify=true", "--cert-dir", caDirectory.toString(),
                "--format", "{{.Digest}}", "docker://" + image).trim());

        Path store = work.resolve("podman-store");
        Podman.run(store, "pull", "--tls-verify=true", "--cert-dir", caDirectory.toString(), image);
        String pulled = Podman.run(store, "image", "inspect", "--format", "{{.Digest}}", image).trim();
        assertEquals(digest, pulled);
    }

    @Test
    void containerdPullsWithAHostsDirectoryNamingTheAuthority() throws IOException, InterruptedException {
        OciLayout layout = new OciLayout(work.resolve("layout-ctr"));
        String digest = layout.addImage("v1", "amd64", 1, 40_000);
        String image = address() + "/tls/ctr:v1";
        Cli.run("skopeo", "copy", "--dest-cert-dir", caDirectory.toString(), layout.reference("v1"), "docker://" + image);

        try (Containerd containerd = Containerd.start()) {
            Path hosts = Files.createDirectories(containerd.work().resolve("certs.d").resolve(address()));
            Files.writeString(hosts.resolve("hosts.toml"), "server = \"https://" + address() + "\"\n\n[host.\"https://" + address()
                    + "\"]\n  ca = \"" + ca + "\"\n");
            containerd.ctr("images", "pull", "--hosts-dir", hosts.getParent().toString(), "--user",
                    Credentials.ADMIN + ":" + Credentials.ADMIN_PASSWORD, "--snapshotter", "native", image);
            String listed = containerd.ctr("images", "ls");
            assertTrue(listed.contains(image) && listed.contains(digest), listed);

            // Without the authority, containerd refuses the registry's certificate.
            Files.writeString(hosts.resolve("hosts.toml"), "server = \"https://" + address() + "\"\n");
            Cli.Result refused = containerd.attempt("images", "pull", "--hosts-dir", hosts.getParent().toString(), "--user",
                    Credentials.ADMIN + ":" + Credentials.ADMIN_PASSWORD, "--snapshotter", "native", address() + "/tls/ctr:v1");
            assertNotEquals(0, refused.exitCode());
            assertTrue(refused.stderr().contains("x509: certificate signed by unknown authority"), refused.stderr());
        }
    }

    @Test
    void clientsThatDoNotTrustTheAuthorityAreRefused() throws IOException {
        SelfSignedCertificates other = new SelfSignedCertificates(work.resolve("other-authority"));
        other.ensure(List.of(host));
        Path otherDirectory = Files.createDirectories(work.resolve("other-trusted"));
        Files.copy(other.caCertificate(), otherDirectory.resolve("ca.crt"));

        Cli.Result curl = Cli.attempt(List.of("curl", "-sS", "--cacert", other.caCertificate().toString(), "https://" + address() + "/v2/"));
        assertEquals(60, curl.exitCode(), "curl's exit code for a certificate it cannot verify: " + curl.stderr());
        assertTrue(curl.stderr().contains("SSL certificate problem"), curl.stderr());

        Cli.Result skopeo = Cli.attempt(List.of("skopeo", "inspect", "--tls-verify=true", "--cert-dir", otherDirectory.toString(),
                "docker://" + address() + "/tls/anything:v1"));
        assertNotEquals(0, skopeo.exitCode());
        assertTrue(skopeo.stderr().contains("x509: certificate signed by unknown authority"), skopeo.stderr());
    }

    @Test
    void dockerLogsInPushesAndPullsOverVerifiedTls() throws IOException {
        // The docker engine never verifies registries on loopback addresses, so it is sent to this
        // machine's own non-loopback address, by a host name only its namespace resolves.
        String registryAddress = DOCKER_HOST_NAME + ":" + registry.httpsPort();
        SelfSignedCertificates own = SelfSignedBootstrap.certificates(work.resolve("self-signed"));
        String ip = nonLoopbackAddress();
        try (DockerDaemon docker = DockerDaemon.start(Map.of(DOCKER_HOST_NAME, ip))) {
            // First trusting another authority: the engine refuses the certificate.
            SelfSignedCertificates other = new SelfSignedCertificates(work.resolve("docker-other-authority"));
            other.ensure(List.of(DOCKER_HOST_NAME));
            docker.trust(registryAddress, other.caCertificate());
            Cli.Result untrusted = docker.attempt("login", "-u", Credentials.ADMIN, "-p", Credentials.ADMIN_PASSWORD, registryAddress);
            assertNotEquals(0, untrusted.exitCode());
            assertTrue(untrusted.stderr().contains("x509: certificate signed by unknown authority"), untrusted.stderr());

            docker.trust(registryAddress, own.caCertificate());
            docker.docker("login", "-u", Credentials.ADMIN, "-p", Credentials.ADMIN_PASSWORD, registryAddress);
            Path context = Files.createDirectories(work.resolve("docker-context"));
            Files.writeString(context.resolve("hello.txt"), "served over TLS " + Instant.now());
            Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
            String image = registryAddress + "/tls/docker:v1";
            docker.docker("build", "-t", image, context.toString());
            String pushed = docker.docker("push", image);
            String digest = pushed.replaceAll("(?s).*digest: (sha256:[0-9a-f]{64}).*", "$1");
            assertTrue(digest.startsWith("sha256:"), pushed);
            docker.docker("rmi", image);
            docker.docker("pull", image);
            assertEquals(registryAddress + "/tls/docker@" + digest,
                    docker.docker("inspect", "--format", "{{index .RepoDigests 0}}", image).trim());
            docker.docker("logout", registryAddress);
        }
    }

    @Test
    void operatorCertificatesAreReloadedWhenRotatedAndAnExpiredOneIsRefused() throws Exception {
        Path files = work.resolve("operator-certificates");
        SelfSignedCertificates operator = new SelfSignedCertificates(files);
        operator.ensure(List.of(host, "localhost"));
        try (RegistryProcess rotated = new RegistryProcess(work.resolve("operator"),
                "-Dberth.tls.cert-file=" + operator.serverCertificate(), "-Dberth.tls.key-file=" + operator.serverKey(),
                "-Dberth.tls.reload-period=1s")) {
            rotated.start();
            String address = host + ":" + rotated.httpsPort();
            BigInteger first = servedSerial(rotated.httpsPort());
            assertEquals(leafSerial(operator.serverCertificate()), first);
            assertEquals("2 401", curl("--cacert", operator.caCertificate().toString(), "https://" + address + "/v2/"));

            // A key that does not belong to the certificate (one file replaced, not yet the other) is not served.
            SelfSignedCertificates stray = new SelfSignedCertificates(work.resolve("stray"));
            stray.ensure(List.of(host));
            Files.copy(stray.serverKey(), operator.serverKey(), StandardCopyOption.REPLACE_EXISTING);
            Instant mismatchLogged = Instant.now().plus(Duration.ofSeconds(20));
            while (!rotated.log().contains("does not belong to the certificate") && Instant.now().isBefore(mismatchLogged)) {
                Thread.sleep(200);
            }
            assertTrue(rotated.log().contains("does not belong to the certificate"), rotated.log());
            assertEquals(first, servedSerial(rotated.httpsPort()));
            assertEquals("2 401", curl("--cacert", operator.caCertificate().toString(), "https://" + address + "/v2/"));

            // A rotation, as cert-manager makes one: new files in place, the same authority.
            operator.ensure(List.of(host, "localhost", "rotated.example"));
            BigInteger second = leafSerial(operator.serverCertificate());
            assertNotEquals(first, second);
            awaitServed(rotated.httpsPort(), second);
            assertEquals("2 401", curl("--cacert", operator.caCertificate().toString(), "https://" + address + "/v2/"));

            // An expired certificate put in place is served, and every client refuses it.
            Instant longAgo = Instant.now().minus(SelfSignedCertificates.SERVER_VALIDITY).minus(Duration.ofDays(30));
            new SelfSignedCertificates(files, Clock.fixed(longAgo, ZoneOffset.UTC)).ensure(List.of(host, "localhost", "expired.example"));
            awaitServed(rotated.httpsPort(), leafSerial(operator.serverCertificate()));
            Cli.Result curl = Cli.attempt(List.of("curl", "-sS", "--cacert", operator.caCertificate().toString(), "https://" + address + "/v2/"));
            assertEquals(60, curl.exitCode(), curl.stderr());
            assertTrue(curl.stderr().contains("certificate has expired"), curl.stderr());
            Path trusted = Files.createDirectories(work.resolve("operator-trusted"));
            Files.copy(operator.caCertificate(), trusted.resolve("ca.crt"));
            Cli.Result skopeo = Cli.attempt(List.of("skopeo", "inspect", "--tls-verify=true", "--cert-dir", trusted.toString(),
                    "docker://" + address + "/tls/anything:v1"));
            assertNotEquals(0, skopeo.exitCode());
            assertTrue(skopeo.stderr().contains("x509: certificate has expired or is not yet valid"), skopeo.stderr());
            assertTrue(rotated.log().contains("serving TLS certificate"), "rotations are logged");
        }
    }

    @Test
    void aKeyStoreServedByTheJdkEngine() throws Exception {
        Path files = work.resolve("jdk-engine-certificates");
        SelfSignedCertificates certificates = new SelfSignedCertificates(files);
        certificates.ensure(List.of(host));
        Path keyStore = files.resolve("server.p12");
        writeKeyStore(certificates, keyStore, "store-secret");
        try (RegistryProcess jdk = new RegistryProcess(work.resolve("jdk-engine"), "-Dberth.tls.engine=jdk",
                "-Dberth.tls.key-store-file=" + keyStore, "-Dberth.tls.key-store-password=store-secret")) {
            jdk.start();
            assertTrue(jdk.log().contains("TLS by the JDK"), jdk.log());
            String url = "https://" + host + ":" + jdk.httpsPort() + "/v2/";
            assertEquals("2 401", curl("--cacert", certificates.caCertificate().toString(), url));
            assertEquals("1.1 401", curl("--http1.1", "--cacert", certificates.caCertificate().toString(), url));
            assertEquals(leafSerial(certificates.serverCertificate()), servedSerial(jdk.httpsPort()));
        }
    }

    /** A PKCS#12 key store holding the server's key and chain, as an operator's tooling exports one. */
    private static void writeKeyStore(SelfSignedCertificates certificates, Path target, String password) throws Exception {
        String base64 = Files.readString(certificates.serverKey()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certificates.serverCertificate())) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("berth", key, password.toCharArray(), chain);
        try (OutputStream out = Files.newOutputStream(target)) {
            store.store(out, password.toCharArray());
        }
    }

    private static String address() {
        return host + ":" + registry.httpsPort();
    }

    /** {@code <http version> <status>} of a GET with curl. */
    private static String curl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_version} %{http_code}"));
        command.addAll(List.of(arguments));
        return Cli.run(command).trim();
    }

    private static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : network.inetAddresses().toList()) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        }
        throw new IllegalStateException("no non-loopback IPv4 address: the docker engine verifies certificates only off loopback");
    }

    private static BigInteger leafSerial(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    private static void awaitServed(int port, BigInteger serial) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        BigInteger served = null;
        List<String> failures = new ArrayList<>();
        while (!serial.equals(served) && Instant.now().isBefore(deadline)) {
            try {
                served = servedSerial(port);
            } catch (IOException handshake) {
                failures.add(Instant.now() + " " + handshake);
            }
            Thread.sleep(250);
        }
        assertEquals(serial, served, "the rotated certificate is served without a restart");
        assertEquals(List.of(), failures, "no handshake fails while certificates are swapped");
    }

    /** The serial of the certificate the server presents, read in a handshake that accepts any. */
    private static BigInteger servedSerial(int port) throws Exception {
        X509Certificate[] presented = new X509Certificate[1];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new RecordingTrustManager(chain -> presented[0] = chain[0])}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
        }
        return presented[0].getSerialNumber();
    }

    private record RecordingTrustManager(java.util.function.Consumer<X509Certificate[]> recorder) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager checks servers only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            recorder.accept(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
