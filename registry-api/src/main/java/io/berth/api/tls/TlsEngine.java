package io.berth.api.tls;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Which TLS implementation encrypts HTTPS ({@code berth.tls.engine}): BoringSSL (Netty's statically
 * linked build, shipped for Linux on x86-64 and ARM64) where it loads, else the JDK's. Pushes and
 * pulls over HTTPS are mostly encryption work on the event loops, and BoringSSL does it for less CPU
 * than the JDK's engine (docs/benchmarks.md has both).
 */
final class TlsEngine {
    private static final Logger LOG = Logger.getLogger(TlsEngine.class);

    private TlsEngine() {
    }

    static void choose(HttpServerOptions options, String setting) {
        String engine = setting.toLowerCase(Locale.ROOT);
        boolean boringSslLoads = OpenSSLEngineOptions.isAvailable() && OpenSSLEngineOptions.isAlpnAvailable();
        switch (engine) {
            case "jdk" -> useJdk(options, "as berth.tls.engine says");
            case "openssl" -> {
                if (!boringSslLoads) {
                    throw new IllegalStateException("berth.tls.engine=openssl, but BoringSSL does not load on this machine");
                }
                useBoringSsl(options);
            }
            case "auto" -> {
                if (boringSslLoads) {
                    useBoringSsl(options);
                } else {
                    useJdk(options, "BoringSSL does not load on this machine");
                }
            }
            default -> throw new IllegalArgumentException("berth.tls.engine must be auto, openssl or jdk, not " + setting);
        }
    }

    private static void useBoringSsl(HttpServerOptions options) {
        options.setSslEngineOptions(new OpenSSLEngineOptions());
        LOG.info("TLS by BoringSSL");
    }

    private static void useJdk(HttpServerOptions options, String why) {
        options.setSslEngineOptions(new JdkSSLEngineOptions());
        LOG.infof("TLS by the JDK: %s", why);
    }
}
