package io.berth.api.tls;

import io.berth.api.config.BerthConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.jboss.logging.Logger;

/**
 * Certificate rotation without a restart or a dropped connection: the HTTPS listener is given a
 * {@link RotatingKeyManager}, and every {@code berth.tls.reload-period} the certificate files (or key
 * store) are read again; when they hold a different certificate, it becomes the one served. Files
 * that cannot be read as a matching certificate and key (half-way through being replaced, say) are
 * left for the next check and the current certificate stays.
 */
@Singleton
public class CertificateRotation implements HttpServerOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(CertificateRotation.class);

    private final TlsConfigurationRegistry registry;
    private final Vertx vertx;
    private final Duration period;
    private final String engine;
    private volatile RotatingKeyManager keyManager;
    private volatile String served;
    private volatile long timer = -1;

    @Inject
    CertificateRotation(TlsConfigurationRegistry registry, Vertx vertx, BerthConfig config) {
        this.registry = registry;
        this.vertx = vertx;
        this.period = config.tls().reloadPeriod();
        this.engine = config.tls().engine();
    }

    /** Called as the HTTPS listener is set up (after start-up events): from then on, the files are watched. */
    @Override
    public synchronized void customizeHttpsServer(HttpServerOptions options) {
        KeyCertOptions configured = options.getKeyCertOptions();
        if (configured == null) {
            return;
        }
        if (keyManager == null) {
            try {
                X509KeyManager first = keyManagerOf(configured);
                keyManager = new RotatingKeyManager(first);
                served = fingerprint(first);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the TLS certificate", e);
            }
            LOG.infof("serving TLS certificate %s; checked for a new one every %s", served, period);
            timer = vertx.setPeriodic(period.toMillis(), id -> vertx.executeBlocking(this::check, false));
        }
        options.setKeyCertOptions(KeyCertOptions.wrap(keyManager));
        TlsEngine.choose(options, engine);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Reads the files again; serves their certificate if it is a new one. Answers whether it rotated. */
    boolean check() {
        Optional<TlsConfiguration> configuration = registry.getDefault();
        if (configuration.isEmpty()) {
            return false;
        }
        try {
            if (!configuration.get().reload()) {
                LOG.warnf("the TLS certificate files could not be read again; still serving %s", served);
                return false;
            }
            X509KeyManager next = keyManagerOf(configuration.get().getKeyStoreOptions());
            String fingerprint = fingerprint(next);
            if (fingerprint.equals(served)) {
                return false;
            }
            keyManager.rotate(next);
            served = fingerprint;
            LOG.infof("serving TLS certificate %s", fingerprint);
            return true;
        } catch (Exception e) {
            LOG.warnf("the TLS certificate files could not be read again (%s); still serving %s", e.getMessage(), served);
            return false;
        }
    }

    private X509KeyManager keyManagerOf(KeyCertOptions options) throws Exception {
        for (KeyManager manager : options.getKeyManagerFactory(vertx).getKeyManagers()) {
            if (manager instanceof X509KeyManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 key manager in the TLS configuration");
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) throws Exception {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        byte[] probe = certificate.getEncoded();
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    /** Subject, serial, end of validity and SHA-256 of the certificate a key manager would serve. */
    private static String fingerprint(X509KeyManager manager) throws Exception {
        for (String type : new String[] {"EC", "RSA"}) {
            String[] aliases = manager.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
                X509Certificate[] chain = manager.getCertificateChain(aliases[0]);
                PrivateKey key = manager.getPrivateKey(aliases[0]);
                if (chain == null || chain.length == 0 || key == null) {
                    continue;
                }
                X509Certificate leaf = chain[0];
                if (!belongTogether(leaf, key)) {
                    // One file replaced and not yet the other: serving this pair would fail every handshake.
                    throw new IllegalStateException("the private key does not belong to the certificate");
                }
                String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
                return "(subject " + leaf.getSubjectX500Principal().getName() + ", serial " + leaf.getSerialNumber().toString(16)
                        + ", valid until " + leaf.getNotAfter().toInstant() + ", sha256 " + sha256.substring(0, 16) + ")";
            }
        }
        throw new IllegalStateException("the TLS configuration holds no certificate with its private key");
    }
}
