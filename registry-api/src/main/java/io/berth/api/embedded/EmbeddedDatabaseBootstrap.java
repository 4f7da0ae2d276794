package io.berth.api.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedded default: with no {@code quarkus.datasource.jdbc.url} configured, Berth starts its own
 * PostgreSQL under {@code <berth.data-dir>/postgres} and points the datasource at it. This runs
 * before Quarkus reads its configuration, so it looks where an operator sets these two values:
 * system properties, environment variables, and {@code config/application.properties} in the
 * working directory.
 */
public final class EmbeddedDatabaseBootstrap {
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String DATA_DIR = "berth.data-dir";

    private EmbeddedDatabaseBootstrap() {
    }

    /** Starts the embedded PostgreSQL when no external one is configured; returns it so it can be stopped. */
    public static Optional<EmbeddedPostgres> startIfNeeded() {
        if (setting(JDBC_URL).isPresent()) {
            return Optional.empty();
        }
        Path dataDir = Path.of(setting(DATA_DIR).orElse("./data")).toAbsolutePath().normalize();
        DataDirectoryLock.acquire(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"));
        System.setProperty(JDBC_URL, postgres.jdbcUrl());
        System.setProperty("quarkus.datasource.username", postgres.username());
        System.setProperty("quarkus.datasource.password", postgres.password());
        return Optional.of(postgres);
    }

    static Optional<String> setting(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        if (value == null) {
            value = fileSetting(key);
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
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
