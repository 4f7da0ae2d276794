package io.berth.api.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A local certificate authority and a server certificate it signs, kept in one directory:
 * {@code ca.crt} (what clients trust), {@code ca.key}, {@code server.crt} (the server certificate
 * followed by the CA's) and {@code server.key}. The authority is created once and kept, so clients
 * that trust it keep trusting the registry; the server certificate is issued again only when it no
 * longer covers the host names, is signed by another authority, or nears its end.
 */
public final class SelfSignedCertificates {
    static final String CA_CERT = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String SERVER_CERT = "server.crt";
    static final String SERVER_KEY = "server.key";
    /** Browsers and Apple clients refuse server certificates valid for longer than 398 days. */
    static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** A server certificate this close to its end is replaced at the next start. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final Clock clock;

    public SelfSignedCertificates(Path directory) {
        this(directory, Clock.systemUTC());
    }

    SelfSignedCertificates(Path directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    public Path caCertificate() {
        return directory.resolve(CA_CERT);
    }

    public Path serverCertificate() {
        return directory.resolve(SERVER_CERT);
    }

    public Path serverKey() {
        return directory.resolve(SERVER_KEY);
    }

    /** Makes sure the authority exists and a valid server certificate for these names is in place. */
    public void ensure(Collection<String> hostNames) {
        if (hostNames.isEmpty()) {
            throw new IllegalArgumentException("a self-signed certificate needs at least one host name");
        }
        try {
            Files.createDirectories(directory);
            Authority authority = Files.exists(caCertificate()) && Files.exists(directory.resolve(CA_KEY))
                    ? new Authority(readCertificate(caCertificate()), readKey(directory.resolve(CA_KEY)))
                    : createAuthority();
            if (!serverCertificateFits(authority, hostNames)) {
                issueServerCertificate(authority, hostNames);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the self-signed certificates in " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the self-signed certificates in " + directory, e);
        }
    }

    /** localhost, this machine's name, and the loopback addresses. */
    public static List<String> defaultHostNames() {
        List<String> names = new ArrayList<>(List.of("localhost"));
        try {
            String own = InetAddress.getLocalHost().getHostName();
            if (!names.contains(own)) {
                names.add(own);
            }
        } catch (IOException e) {
            // a machine without a resolvable name of its own is still reachable as localhost
        }
        names.addAll(List.of("127.0.0.1", "::1"));
        return names;
    }

    private record Authority(X509Certificate certificate, PrivateKey key) {
    }

    private Authority createAuthority() throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=Berth local certificate authority " + Long.toHexString(RANDOM.nextLong() >>> 16)
                + ",O=Berth");
        Instant now = clock.instant();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate certificate = sign(builder, keys.getPrivate());
        // The key first: a directory with a CA certificate but no key would make a new authority next time.
        writeAtomically(directory.resolve(CA_KEY), pem(keys.getPrivate()), true);
        writeAtomically(caCertificate(), pem(certificate), false);
        return new Authority(certificate, keys.getPrivate());
    }

    private boolean serverCertificateFits(Authority authority, Collection<String> hostNames) throws IOException, GeneralSecurityException {
        if (!Files.exists(serverCertificate()) || !Files.exists(serverKey())) {
            return false;
        }
        X509Certificate server = readCertificate(serverCertificate());
        try {
            server.verify(authority.certificate().getPublicKey());
        } catch (GeneralSecurityException signedByAnother) {
            return false;
        }
        boolean fresh = server.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
        return fresh && subjectAlternativeNames(server).containsAll(new HashSet<>(hostNames));
    }

    private void issueServerCertificate(Authority authority, Collection<String> hostNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair();
        Instant now = clock.instant();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        List<GeneralName> names = new ArrayList<>();
        for (String name : hostNames) {
            names.add(new GeneralName(isAddress(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVER_VALIDITY)),
                new X500Name("CN=" + hostNames.iterator().next()), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(authority.certificate()));
        X509Certificate certificate = sign(builder, authority.key());
        // Key before certificate, each replaced whole: a reload between the two sees a pair that does
        // not match and keeps serving the old one, never half a file.
        writeAtomically(serverKey(), pem(keys.getPrivate()), true);
        writeAtomically(serverCertificate(), pem(certificate) + pem(authority.certificate()), false);
    }

    static Set<String> subjectAlternativeNames(X509Certificate certificate) throws CertificateParsingException {
        Set<String> names = new HashSet<>();
        Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
        if (entries != null) {
            for (List<?> entry : entries) {
                names.add(normalised(String.valueOf(entry.get(1))));
            }
        }
        return names;
    }

    /** IPv6 addresses come back from the JDK in their long form; compare them that way. */
    private static String normalised(String name) {
        if (isAddress(name) && name.contains(":")) {
            try {
                return InetAddress.getByName(name).getHostAddress();
            } catch (IOException e) {
                return name;
            }
        }
        return name;
    }

    private static boolean isAddress(String name) {
        return name.matches("[0-9.]+") || name.contains(":");
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        // P-256: accepted by every client that speaks TLS, and far cheaper to handshake than RSA.
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object first = parser.readObject();
            if (!(first instanceof X509CertificateHolder holder)) {
                throw new IOException(file + " does not start with a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    private static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            Object key = parser.readObject();
            if (!(key instanceof PrivateKeyInfo info)) {
                throw new IOException(file + " is not a PKCS#8 PEM private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            // Keys as PKCS#8 ("PRIVATE KEY"), which every TLS stack reads, not OpenSSL's EC-specific form.
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            // Certificates are public (clients copy the authority's); keys are the owner's alone.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
