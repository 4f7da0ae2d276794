package io.berth.api.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Hands Berth's TLS settings ({@code berth.tls.*}) to Quarkus' TLS registry, whose default
 * configuration the HTTPS listener uses: PEM files or a key store. Their rotation is
 * {@link CertificateRotation}'s, not the registry's periodic reload (which rebuilds the listener's TLS
 * context each period, dropping the connections that arrive meanwhile). Anything set under
 * {@code quarkus.tls.*} directly wins: this source ranks below the operator's own.
 */
public class TlsConfigSource implements ConfigSourceFactory {
    static final String CERT_FILE = "berth.tls.cert-file";
    static final String KEY_FILE = "berth.tls.key-file";
    static final String KEY_STORE_FILE = "berth.tls.key-store-file";
    static final String KEY_STORE_PASSWORD = "berth.tls.key-store-password";
    /** Below application.properties (250), environment variables (300) and system properties (400). */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> properties = translate(name -> {
            ConfigValue value = context.getValue(name);
            return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
        });
        return properties.isEmpty() ? List.of() : List.of(new PropertiesConfigSource(properties, "berth.tls", ORDINAL));
    }

    /** The Quarkus TLS properties that Berth's settings stand for; none when TLS is not configured. */
    static Map<String, String> translate(Function<String, String> settings) {
        Map<String, String> properties = new HashMap<>();
        String cert = settings.apply(CERT_FILE);
        String key = settings.apply(KEY_FILE);
        String keyStore = settings.apply(KEY_STORE_FILE);
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException(CERT_FILE + " and " + KEY_FILE + " go together: set both or neither");
            }
            properties.put("quarkus.tls.key-store.pem.0.cert", cert);
            properties.put("quarkus.tls.key-store.pem.0.key", key);
        } else if (keyStore != null) {
            String type = keyStore.toLowerCase(Locale.ROOT).endsWith(".jks") ? "jks" : "p12";
            properties.put("quarkus.tls.key-store." + type + ".path", keyStore);
            String password = settings.apply(KEY_STORE_PASSWORD);
            if (password != null) {
                properties.put("quarkus.tls.key-store." + type + ".password", password);
            }
        }
        return properties;
    }
}
