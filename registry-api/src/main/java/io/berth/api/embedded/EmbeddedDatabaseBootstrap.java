package io.berth.api.embedded;

import io.berth.api.config.StartupSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The embedded default: with no {@code quarkus.datasource.jdbc.url} configured, Berth starts its own
 * PostgreSQL under {@code <berth.data-dir>/postgres} and points the datasource at it. This runs
 * before Quarkus reads its configuration, so it reads {@link StartupSettings}.
 */
public final class EmbeddedDatabaseBootstrap {
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";

    private EmbeddedDatabaseBootstrap() {
    }

    /** Starts the embedded PostgreSQL when no external one is configured; returns it so it can be stopped. */
    public static Optional<EmbeddedPostgres> startIfNeeded() {
        if (StartupSettings.get(JDBC_URL).isPresent()) {
            return Optional.empty();
        }
        Path dataDir = StartupSettings.dataDir();
        DataDirectoryLock.acquire(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"));
        System.setProperty(JDBC_URL, postgres.jdbcUrl());
        System.setProperty("quarkus.datasource.username", postgres.username());
        System.setProperty("quarkus.datasource.password", postgres.password());
        return Optional.of(postgres);
    }
}
