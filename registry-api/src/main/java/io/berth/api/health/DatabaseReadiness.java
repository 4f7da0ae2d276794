package io.berth.api.health;

import io.berth.core.metadata.Database;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the metadata database answers through the pool requests use. (The datasource
 * checks of Quarkus are off: its JDBC one would open a connection that only migrations may use.)
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {
    private final Database database;

    @Inject
    DatabaseReadiness(Database database) {
        this.database = database;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> database.read(c -> c.query("SELECT 1").execute()).toCompletionStage())
                .map(ignored -> HealthCheckResponse.up("metadata database"))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("metadata database").down()
                        .withData("error", String.valueOf(e.getMessage())).build());
    }
}
