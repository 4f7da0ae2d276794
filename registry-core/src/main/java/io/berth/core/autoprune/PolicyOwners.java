package io.berth.core.autoprune;

import io.berth.core.account.AccountService;
import io.berth.core.account.Actors;
import io.berth.core.auth.Action;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.concurrent.Futures;
import io.berth.core.domain.RepositoryName;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Who may manage and run which policies, as Quay has it: an organization's administrators its
 * policies ({@code org:admin}), a user those of their own namespace ({@code user:admin}), a
 * repository's administrators that repository's ({@code repo:admin}).
 */
@Singleton
public class PolicyOwners {
    private final AccountService accounts;
    private final Permissions permissions;
    private final Database database;

    @Inject
    public PolicyOwners(AccountService accounts, Permissions permissions, Database database) {
        this.accounts = accounts;
        this.permissions = permissions;
        this.database = database;
    }

    public Future<PolicyOwner> organization(Principal actor, String org) {
        return accounts.administeredOrganization(actor, org).map(found -> new PolicyOwner(found.id(), found.name(), null, null));
    }

    /** The caller's own namespace. */
    public Future<PolicyOwner> user(Principal actor) {
        return Futures.attempt(() -> {
            Principal.User user = Actors.requireUser(actor);
            return Future.succeededFuture(new PolicyOwner(user.namespaceId(), user.username(), null, null));
        });
    }

    public Future<PolicyOwner> repository(Principal actor, String repository) {
        return Futures.attempt(() -> {
            RepositoryName name = RepositoryName.parse(repository);
            return permissions.require(actor, name, Action.ADMIN).compose(allowed -> database.read(c -> c
                    .preparedQuery("SELECT r.id, r.namespace_id, n.name FROM repositories r JOIN namespaces n ON n.id = r.namespace_id"
                            + " WHERE r.name = $1")
                    .execute(Tuple.of(name.value()))
                    .map(rows -> {
                        if (!rows.iterator().hasNext()) {
                            throw ManagementException.notFound("no repository " + name);
                        }
                        Row row = rows.iterator().next();
                        return new PolicyOwner(row.getLong(1), row.getString(2), row.getLong(0), name.value());
                    })));
        });
    }
}
