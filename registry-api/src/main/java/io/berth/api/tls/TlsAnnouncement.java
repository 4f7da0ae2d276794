package io.berth.api.tls;

import io.berth.api.config.BerthConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at start-up where HTTPS listens and, for a self-signed certificate, where its authority is and
 * how each client is told to trust it: the one step an operator must take before pushing over TLS.
 */
@Singleton
class TlsAnnouncement {
    private static final Logger LOG = Logger.getLogger(TlsAnnouncement.class);

    void onStart(@Observes StartupEvent event, BerthConfig config, @ConfigProperty(name = "quarkus.http.ssl-port") int sslPort) {
        BerthConfig.Tls tls = config.tls();
        if (tls.certFile().isEmpty() && tls.keyStoreFile().isEmpty()) {
            return;
        }
        LOG.infof("HTTPS on port %d (HTTP/2 and HTTP/1.1)", sslPort);
        if (!tls.selfSigned()) {
            return;
        }
        SelfSignedCertificates certificates = SelfSignedBootstrap.certificates(Path.of(config.dataDir()).toAbsolutePath().normalize());
        if (!certificates.serverCertificate().toString().equals(tls.certFile().orElse(""))) {
            return;
        }
        String ca = certificates.caCertificate().toString();
        String host = SelfSignedBootstrap.hostNames().get(0) + ":" + sslPort;
        LOG.infof("""
                HTTPS uses a self-signed certificate; clients must trust its authority %1$s:
                  docker:         mkdir -p /etc/docker/certs.d/%2$s && cp %1$s /etc/docker/certs.d/%2$s/ca.crt
                  podman, skopeo: mkdir -p /etc/containers/certs.d/%2$s && cp %1$s /etc/containers/certs.d/%2$s/ca.crt
                  containerd:     mkdir -p /etc/containerd/certs.d/%2$s && printf '[host."https://%2$s"]\\n  ca = "%1$s"\\n' > /etc/containerd/certs.d/%2$s/hosts.toml
                  curl:           curl --cacert %1$s https://%2$s/v2/""", ca, host);
    }
}
