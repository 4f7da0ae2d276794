package io.berth.api.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsConfigSourceTest {

    @Test
    void pemFilesBecomeTheDefaultKeyStore() {
        assertEquals(Map.of(
                "quarkus.tls.key-store.pem.0.cert", "/etc/berth/tls.crt",
                "quarkus.tls.key-store.pem.0.key", "/etc/berth/tls.key"),
                TlsConfigSource.translate(Map.of(TlsConfigSource.CERT_FILE, "/etc/berth/tls.crt",
                        TlsConfigSource.KEY_FILE, "/etc/berth/tls.key")::get));
    }

    @Test
    void aKeyStoreIsTakenByItsKind() {
        assertEquals(Map.of(
                "quarkus.tls.key-store.p12.path", "/etc/berth/server.p12",
                "quarkus.tls.key-store.p12.password", "secret"),
                TlsConfigSource.translate(Map.of(TlsConfigSource.KEY_STORE_FILE, "/etc/berth/server.p12",
                        TlsConfigSource.KEY_STORE_PASSWORD, "secret")::get));
        assertEquals("/etc/berth/server.JKS", TlsConfigSource.translate(
                Map.of(TlsConfigSource.KEY_STORE_FILE, "/etc/berth/server.JKS")::get).get("quarkus.tls.key-store.jks.path"));
    }

    @Test
    void withoutACertificateNothingChanges() {
        assertTrue(TlsConfigSource.translate(Map.of("berth.tls.reload-period", "5s")::get).isEmpty());
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TlsConfigSource.translate(Map.of(TlsConfigSource.CERT_FILE, "/etc/berth/tls.crt")::get));
        assertTrue(refused.getMessage().contains("berth.tls.key-file"), refused.getMessage());
    }
}
