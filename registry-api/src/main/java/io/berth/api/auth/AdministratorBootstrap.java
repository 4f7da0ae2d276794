package io.berth.api.auth;

import io.berth.api.config.BerthConfig;
import io.berth.core.account.AccountService;
import io.berth.core.error.ManagementException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * At start: makes sure the first administrator exists (printing its password once when it was
 * generated) and loads the token signing keys, before the registry takes its first request. The
 * work runs on a Vert.x context, as the metadata clients require; the start waits for it.
 */
@Singleton
public class AdministratorBootstrap {
    private static final Logger LOG = Logger.getLogger(AdministratorBootstrap.class);

    @Inject
    AccountService accounts;

    @Inject
    SigningKeys keys;

    @Inject
    BerthConfig config;

    void onStart(@Observes StartupEvent event) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Uni.createFrom().completionStage(() -> prepare().toCompletionStage()));
    }

    private Future<Void> prepare() {
        Future<Void> administrator = accounts.ensureAdministrator(config.auth().adminPassword())
                .map(generated -> {
                    generated.ifPresent(password -> LOG.warnf(
                            "Created the administrator '%s' with password: %s  (shown once; change it with PUT /api/v1/user/)",
                            AccountService.ADMIN, password));
                    return null;
                });
        // ManagementException: another node created it at the same moment.
        return administrator.recover(failure -> failure instanceof ManagementException ? Future.succeededFuture() : Future.failedFuture(failure))
                .compose(ready -> keys.load().mapEmpty());
    }
}
