package io.berth.api.tls;

import io.quarkus.tls.CertificateUpdatedEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Logs the served certificate at the first reload and each time a reload brings a different one (a
 * rotation). The TLS registry reloads the files every period whether or not they changed; its own
 * message for each reload is silenced in application.properties, so this is the one that tells.
 */
@Singleton
class CertificateReloadLog {
    private static final Logger LOG = Logger.getLogger(CertificateReloadLog.class);
    private volatile String served;

    void onUpdate(@Observes CertificateUpdatedEvent event) {
        X509Certificate certificate = leaf(event.tlsConfiguration().getKeyStore());
        if (certificate == null) {
            return;
        }
        String description = "subject " + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + ", valid until " + certificate.getNotAfter().toInstant();
        synchronized (this) {
            if (Objects.equals(description, served)) {
                return;
            }
            served = description;
        }
        LOG.infof("serving TLS certificate: %s", description);
    }

    private static X509Certificate leaf(KeyStore store) {
        if (store == null) {
            return null;
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    return x509;
                }
            }
        } catch (GeneralSecurityException e) {
            LOG.debugf(e, "cannot read the reloaded key store");
        }
        return null;
    }
}
