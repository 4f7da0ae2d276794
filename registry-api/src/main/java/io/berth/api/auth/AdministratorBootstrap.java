package io.berth.api.auth;

import io.berth.api.config.BerthConfig;
import io.berth.core.account.AccountService;
import io.berth.core.error.ManagementException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * At start: makes sure the first administrator exists (printing its password once when it was
 * generated) and loads the token signing keys, so the first login does not wait for them.
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

    void onStart(@Observes StartupEvent event) {
        try {
            accounts.ensureAdministrator(config.auth().adminPassword()).ifPresent(password -> LOG.warnf(
                    "Created the administrator '%s' with password: %s  (shown once; change it with PUT /api/v1/user/)",
                    AccountService.ADMIN, password));
        } catch (ManagementException concurrentlyCreated) {
            // another node created it at the same moment
        }
        keys.all();
    }
}
