package io.berth.api.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings read before Quarkus reads its configuration (to start the embedded PostgreSQL, or to
 * create a self-signed certificate the HTTPS listener then loads). They are looked up where an
 * operator sets them: system properties, environment variables, and {@code config/application.properties}
 * in the working directory.
 */
public final class StartupSettings {
    public static final String DATA_DIR = "berth.data-dir";

    private StartupSettings() {
    }

    public static Optional<String> get(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        if (value == null) {
            value = fileSetting(key);
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    /** {@code berth.data-dir}, absolute. */
    public static Path dataDir() {
        return Path.of(get(DATA_DIR).orElse("./data")).toAbsolutePath().normalize();
    }

    private static String fileSetting(String key) {
        Path file = Path.of("config", "application.properties");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties.getProperty(key);
    }
}
