package io.berth.api.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificatesTest {
    @TempDir
    Path dir;

    @Test
    void issuesAServerCertificateThatChainsToTheAuthorityAndCoversEveryName() throws Exception {
        SelfSignedCertificates certificates = new SelfSignedCertificates(dir);
        certificates.ensure(List.of("registry.example", "localhost", "127.0.0.1", "::1"));

        List<X509Certificate> chain = certificates(certificates.serverCertificate());
        X509Certificate ca = certificates(certificates.caCertificate()).get(0);
        assertEquals(2, chain.size(), "the server certificate is followed by its authority's");
        assertEquals(ca, chain.get(1));
        PKIXParameters trust = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        trust.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain.subList(0, 1)), trust);

        X509Certificate server = chain.get(0);
        assertEquals(Set.of("registry.example", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), SelfSignedCertificates.subjectAlternativeNames(server));
        assertTrue(server.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "usable for TLS servers");
        assertEquals(-1, server.getBasicConstraints(), "not an authority itself");
        assertTrue(ca.getBasicConstraints() >= 0, "the authority may sign");
        assertTrue(server.getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(398))));
        assertKeyMatches(certificates.serverKey(), server);
    }

    @Test
    void keysAreTheOwnersAloneAndCertificatesArePublic() throws IOException {
        SelfSignedCertificates certificates = new SelfSignedCertificates(dir);
        certificates.ensure(List.of("localhost"));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certificates.serverKey())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SelfSignedCertificates.CA_KEY))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(certificates.caCertificate())));
        assertTrue(Files.readString(certificates.serverKey()).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8, which every TLS stack reads");
    }

    @Test
    void aSecondStartKeepsWhatTheFirstCreated() throws IOException {
        SelfSignedCertificates certificates = new SelfSignedCertificates(dir);
        certificates.ensure(List.of("localhost", "127.0.0.1"));
        byte[] ca = Files.readAllBytes(certificates.caCertificate());
        byte[] server = Files.readAllBytes(certificates.serverCertificate());
        byte[] key = Files.readAllBytes(certificates.serverKey());

        new SelfSignedCertificates(dir).ensure(List.of("127.0.0.1", "localhost"));

        assertArrayEquals(ca, Files.readAllBytes(certificates.caCertificate()));
        assertArrayEquals(server, Files.readAllBytes(certificates.serverCertificate()));
        assertArrayEquals(key, Files.readAllBytes(certificates.serverKey()));
    }

    @Test
    void aNewHostNameGetsANewServerCertificateFromTheSameAuthority() throws Exception {
        SelfSignedCertificates certificates = new SelfSignedCertificates(dir);
        certificates.ensure(List.of("localhost"));
        byte[] ca = Files.readAllBytes(certificates.caCertificate());
        X509Certificate before = certificates(certificates.serverCertificate()).get(0);

        certificates.ensure(List.of("localhost", "registry.internal"));

        assertArrayEquals(ca, Files.readAllBytes(certificates.caCertificate()), "clients that trust the authority keep trusting");
        X509Certificate after = certificates(certificates.serverCertificate()).get(0);
        assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
        assertTrue(SelfSignedCertificates.subjectAlternativeNames(after).contains("registry.internal"));
        assertKeyMatches(certificates.serverKey(), after);
    }

    @Test
    void aServerCertificateNearItsEndIsReplaced() throws Exception {
        Instant issued = Instant.parse("2026-01-01T00:00:00Z");
        new SelfSignedCertificates(dir, Clock.fixed(issued, ZoneOffset.UTC)).ensure(List.of("localhost"));
        X509Certificate first = certificates(dir.resolve(SelfSignedCertificates.SERVER_CERT)).get(0);

        Instant almostExpired = first.getNotAfter().toInstant().minus(Duration.ofDays(10));
        new SelfSignedCertificates(dir, Clock.fixed(almostExpired, ZoneOffset.UTC)).ensure(List.of("localhost"));

        X509Certificate renewed = certificates(dir.resolve(SelfSignedCertificates.SERVER_CERT)).get(0);
        assertNotEquals(first.getSerialNumber(), renewed.getSerialNumber());
        renewed.checkValidity(Date.from(almostExpired.plus(Duration.ofDays(300))));
    }

    @Test
    void refusesToCertifyNoName() {
        assertThrows(IllegalArgumentException.class, () -> new SelfSignedCertificates(dir).ensure(List.of()));
        assertFalse(Files.exists(dir.resolve(SelfSignedCertificates.CA_CERT)));
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
        }
    }

    /** The key file holds the private half of the certificate's key: what it signs, the certificate verifies. */
    private static void assertKeyMatches(Path keyFile, X509Certificate certificate) throws Exception {
        String base64 = Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        byte[] message = "berth".getBytes();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(message);
        assertTrue(verifier.verify(signature));
    }
}
