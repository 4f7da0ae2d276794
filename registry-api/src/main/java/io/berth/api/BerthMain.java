package io.berth.api;

import io.berth.api.embedded.EmbeddedDatabaseBootstrap;
import io.berth.api.embedded.EmbeddedPostgres;
import io.berth.api.tls.SelfSignedBootstrap;
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
        // A signal ends the JVM without returning from Quarkus.run: stop PostgreSQL from a hook too.
        embedded.ifPresent(postgres -> Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-stop")));
        try {
            Quarkus.run(args);
        } finally {
            embedded.ifPresent(EmbeddedPostgres::close);
        }
    }
}
