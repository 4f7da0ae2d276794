package io.berth.api.testing;

import io.berth.api.embedded.EmbeddedPostgres;
import java.nio.file.Path;

/**
 * The test database as a process a test may stop and start again, on the same data directory and
 * port, so the registry under test sees an outage and then the same server back.
 */
public final class PostgresControl {
    private final Path directory;
    private volatile EmbeddedPostgres running;

    PostgresControl(Path directory, EmbeddedPostgres running) {
        this.directory = directory;
        this.running = running;
    }

    public EmbeddedPostgres current() {
        return running;
    }

    /** Fast shutdown: every client connection is closed, new ones are refused. */
    public void stop() {
        running.close();
    }

    /** Starts the server again where it was. */
    public void start() {
        running = EmbeddedPostgres.start(directory, running.port());
    }

    void close() {
        running.close();
    }
}
