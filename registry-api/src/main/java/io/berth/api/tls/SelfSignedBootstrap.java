package io.berth.api.tls;

import io.berth.api.config.StartupSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code berth.tls.self-signed=true}: before Quarkus starts its HTTPS listener, makes sure the local
 * authority and the server certificate exist under {@code <data-dir>/tls} and points
 * {@code berth.tls.cert-file} and {@code berth.tls.key-file} at them.
 */
public final class SelfSignedBootstrap {
    static final String SELF_SIGNED = "berth.tls.self-signed";
    static final String HOST_NAMES = "berth.tls.host-names";
    static final String EXTERNAL_URL = "berth.external-url";

    private SelfSignedBootstrap() {
    }

    /** Where the self-signed authority and certificate of a data directory live. */
    public static SelfSignedCertificates certificates(Path dataDir) {
        return new SelfSignedCertificates(dataDir.resolve("tls"));
    }

    public static void prepareIfRequested() {
        if (!Boolean.parseBoolean(StartupSettings.get(SELF_SIGNED).orElse("false"))
                || StartupSettings.get(TlsConfigSource.CERT_FILE).isPresent()
                || StartupSettings.get(TlsConfigSource.KEY_STORE_FILE).isPresent()) {
            return;
        }
        SelfSignedCertificates certificates = certificates(StartupSettings.dataDir());
        certificates.ensure(hostNames());
        System.setProperty(TlsConfigSource.CERT_FILE, certificates.serverCertificate().toString());
        System.setProperty(TlsConfigSource.KEY_FILE, certificates.serverKey().toString());
    }

    /** The configured names, else the defaults; the external URL's host always among them. */
    static List<String> hostNames() {
        List<String> names = new ArrayList<>(StartupSettings.get(HOST_NAMES)
                .map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList())
                .orElseGet(SelfSignedCertificates::defaultHostNames));
        StartupSettings.get(EXTERNAL_URL).map(URI::create).map(URI::getHost)
                .map(host -> host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                .filter(host -> !names.contains(host))
                .ifPresent(names::add);
        return names;
    }
}
