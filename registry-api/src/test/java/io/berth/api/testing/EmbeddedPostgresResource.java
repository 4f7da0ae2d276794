package io.berth.api.testing;

import io.berth.api.embedded.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the same embedded PostgreSQL the registry uses by default, on a fresh data directory, and
 * points the application under test at it. Blob storage goes to the same temporary directory.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            Path dataDir = Files.createTempDirectory("berth-test-");
            postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"));
            return Map.of(
                    "berth.data-dir", dataDir.toString(),
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                    "quarkus.datasource.username", postgres.username(),
                    "quarkus.datasource.password", postgres.password());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
