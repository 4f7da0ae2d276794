package io.berth.api.health;

import io.berth.core.storage.BlobStore;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the blob store answers. Liveness deliberately checks nothing external: a storage
 * or database blip must not restart every replica at once.
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements AsyncHealthCheck {
    private final BlobStore store;

    @Inject
    StorageReadiness(BlobStore store) {
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> store.checkReachable().toCompletionStage())
                .map(ignored -> HealthCheckResponse.up("blob storage"))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("blob storage").down()
                        .withData("error", String.valueOf(e.getMessage())).build());
    }
}
