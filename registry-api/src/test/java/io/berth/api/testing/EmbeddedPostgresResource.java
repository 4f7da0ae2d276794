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
 * points the application under test at it. Blob storage goes to the same temporary directory. A
 * test may stop and restart the database through an {@link InjectPostgres} field.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    private PostgresControl postgres;

    @Override
    public Map<String, String> start() {
        try {
            Path dataDir = Files.createTempDirectory("berth-test-");
            Path directory = dataDir.resolve("postgres");
            EmbeddedPostgres started = EmbeddedPostgres.start(directory);
            postgres = new PostgresControl(directory, started);
            return Map.of(
                    "berth.data-dir", dataDir.toString(),
                    "quarkus.datasource.jdbc.url", started.jdbcUrl(),
                    "quarkus.datasource.username", started.username(),
                    "quarkus.datasource.password", started.password());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives tests that ask for it ({@link InjectPostgres}) control over the database process. */
    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(postgres, new TestInjector.AnnotatedAndMatchesType(InjectPostgres.class, PostgresControl.class));
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
