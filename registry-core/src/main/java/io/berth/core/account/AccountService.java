package io.berth.core.account;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.PasswordHasher;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.auth.Role;
import io.berth.core.auth.Secrets;
import io.berth.core.concurrent.Blocking;
import io.berth.core.concurrent.Futures;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.ModelSessions;
import io.berth.core.quota.QuotaService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Users, organizations and their members. Every user owns a namespace of their own name; an
 * organization is a namespace whose members hold a role (read, write, admin). Passwords are hashed
 * on a worker thread before the transaction that stores them; everything else runs on the event loop.
 */
@Singleton
public class AccountService {
    /** The first administrator, created at first start. */
    public static final String ADMIN = "admin";
    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MAX_PASSWORD_LENGTH = 1024;

    private final ModelSessions sessions;
    private final AccountRecords records;
    private final AccessChanges changes;
    private final Permissions permissions;
    private final OrganizationCatalog organizations;
    private final Blocking blocking;
    private final Database database;
    private final QuotaService quotas;

    @Inject
    public AccountService(ModelSessions sessions, AccountRecords records, AccessChanges changes, Permissions permissions,
            OrganizationCatalog organizations, Blocking blocking, Database database, QuotaService quotas) {
        this.database = database;
        this.quotas = quotas;
        this.sessions = sessions;
        this.records = records;
        this.changes = changes;
        this.permissions = permissions;
        this.organizations = organizations;
        this.blocking = blocking;
    }

    /** A user just created, with the password generated for it (null when one was given). */
    public record CreatedUser(AccountRecords.UserRow user, String generatedPassword) {
    }

    /**
     * Creates the administrator {@value #ADMIN} unless it exists, with {@code password} or a
     * generated one; answers the generated password, or empty when nothing was generated. Fails
     * with a conflict when another node created it at the same moment.
     */
    public Future<Optional<String>> ensureAdministrator(Optional<String> password) {
        // Looked up before hashing, so that a start with the administrator in place costs no Argon2id.
        return sessions.read(s -> records.user(s, ADMIN)).compose(existing -> {
            if (existing.isPresent()) {
                return Future.succeededFuture(Optional.empty());
            }
            String chosen = password.orElseGet(Secrets::generate);
            return hashed(chosen)
                    .compose(hash -> changes.commitModel(s -> insertUser(s, ADMIN, null, hash, true)))
                    .map(created -> password.isPresent() ? Optional.<String>empty() : Optional.of(chosen));
        });
    }

    public Future<CreatedUser> createUser(Principal actor, String username, String email, String password) {
        return Futures.attempt(() -> {
            Actors.requireSuperuser(actor);
            Names.requireNamespace(username, "username");
            Names.requireEmail(email);
            String chosen = password == null ? Secrets.generate() : requirePassword(password);
            return hashed(chosen)
                    .compose(hash -> changes.commitModel(s -> insertUser(s, username, email, hash, false)))
                    .map(row -> new CreatedUser(row, password == null ? chosen : null));
        });
    }

    public Future<List<AccountRecords.UserRow>> users(Principal actor, int limit, int offset) {
        return Futures.attempt(() -> {
            Actors.requireSuperuser(actor);
            return sessions.read(s -> records.users(s, limit, offset));
        });
    }

    public Future<AccountRecords.UserRow> user(Principal actor, String username) {
        return Futures.attempt(() -> {
            Principal.User me = Actors.requireUser(actor);
            if (!me.superuser() && !me.username().equals(username)) {
                throw ManagementException.forbidden("only administrators may look up other users");
            }
            return sessions.read(s -> records.user(s, username))
                    .map(user -> user.orElseThrow(() -> ManagementException.notFound("no user " + username)));
        });
    }

    public Future<Void> deleteUser(Principal actor, String username) {
        return Futures.attempt(() -> {
            Principal.User me = Actors.requireSuperuser(actor);
            if (me.username().equals(username)) {
                throw ManagementException.badRequest("administrators cannot delete themselves");
            }
            return changes.commitModel(s -> existingUser(s, username)
                    .call(user -> records.hasRepositories(s, user.namespaceId()).invoke(hasRepositories -> {
                        if (hasRepositories) {
                            throw ManagementException.conflict("user " + username + " still has repositories; delete them first");
                        }
                    }))
                    .call(user -> records.deleteUser(s, user.id()))
                    .call(user -> records.deleteNamespace(s, user.namespaceId()))
                    .replaceWithVoid());
        });
    }

    public Future<Void> changePassword(Principal actor, String password) {
        return Futures.attempt(() -> {
            if (actor instanceof Principal.Token) {
                throw ManagementException.forbidden("an access token cannot change its owner's password");
            }
            Principal.User me = Actors.requireUser(actor);
            return hashed(requirePassword(password)).compose(hash -> changes.commitModel(s -> records.updatePassword(s, me.id(), hash)));
        });
    }

    public Future<OrganizationView> createOrganization(Principal actor, String name, String email) {
        return Futures.attempt(() -> {
            Principal.User creator = Actors.requireUser(actor);
            Names.requireNamespace(name, "organization name");
            Names.requireEmail(email);
            return changes.commitModel(s -> records.insertNamespace(s, name, "organization", email)
                    .map(id -> id.orElseThrow(() -> ManagementException.conflict("the name " + name + " is taken")))
                    .call(id -> records.setMember(s, id, creator.id(), Role.ADMIN))
                    .chain(id -> organizations.find(s, name))
                    .map(Optional::orElseThrow));
        });
    }

    /** An organization its caller belongs to (or any, for administrators), with its size. */
    public Future<OrganizationView> organization(Principal actor, String name) {
        return Futures.attempt(() -> {
            Principal.User me = Actors.requireUser(actor);
            return sessions.read(s -> existingOrganization(s, name)
                    .call(organization -> me.superuser() ? Uni.createFrom().voidItem()
                            : records.members(s, organization.id()).invoke(members -> {
                                if (members.stream().noneMatch(member -> member.username().equals(me.username()))) {
                                    throw ManagementException.notFound("no organization " + name);
                                }
                            }))
                    .chain(organization -> organizations.find(s, name))
                    .map(Optional::orElseThrow));
        });
    }

    /** The organizations the caller belongs to (all, for administrators), with their sizes. */
    public Future<OrganizationCatalog.Page> organizations(Principal actor, String search, OrganizationCatalog.SortField sortField,
            boolean descending, int limit, int offset) {
        return Futures.attempt(() -> {
            Principal.User me = Actors.requireUser(actor);
            boolean everything = Actors.isSuperuser(actor);
            return sessions.read(s -> organizations.list(s, everything ? null : me.id(), search, sortField, descending, limit, offset));
        });
    }

    /**
     * Changes the contact email (when given) and, for administrators only, the size limit (when given; 0
     * removes it): the size limit is the organization's quota ({@link QuotaService#setSizeLimit}).
     */
    public Future<OrganizationView> updateOrganization(Principal actor, String name, String email, Long sizeLimit) {
        return administeredOrganization(actor, name).compose(organization -> {
            Names.requireEmail(email);
            if (sizeLimit != null) {
                Actors.requireSuperuser(actor);
                if (sizeLimit < 0) {
                    throw ManagementException.badRequest("sizeLimit must be a number of bytes, or 0 for none");
                }
            }
            // The size limit is the namespace's quota, kept by the quota tables (one source for both APIs).
            Future<Void> limited = sizeLimit == null ? Future.succeededFuture()
                    : database.transaction(c -> quotas.setSizeLimit(c, organization.id(), name, sizeLimit == 0 ? null : sizeLimit))
                            .onSuccess(changed -> quotas.applied(name));
            return limited.compose(changed -> changes.commitModel(s -> (email == null ? Uni.createFrom().voidItem()
                    : records.updateNamespaceEmail(s, organization.id(), email))
                    .chain(() -> organizations.find(s, name))
                    .map(Optional::orElseThrow)));
        });
    }

    public Future<Void> deleteOrganization(Principal actor, String name) {
        return administeredOrganization(actor, name).compose(organization -> changes.commitModel(s ->
                records.hasRepositories(s, organization.id()).chain(hasRepositories -> {
                    if (hasRepositories) {
                        throw ManagementException.conflict("organization " + name + " still has repositories; delete them first");
                    }
                    return records.deleteNamespace(s, organization.id());
                })));
    }

    public Future<AccountRecords.MemberRow> setMember(Principal actor, String organizationName, String username, Role role) {
        return administeredOrganization(actor, organizationName).compose(organization -> changes.commitModel(s ->
                existingUser(s, username)
                        .chain(user -> records.setMember(s, organization.id(), user.id(), role))
                        .chain(() -> member(s, organization, username))));
    }

    public Future<List<AccountRecords.MemberRow>> members(Principal actor, String organizationName) {
        return administeredOrganization(actor, organizationName)
                .compose(organization -> sessions.read(s -> records.members(s, organization.id())));
    }

    public Future<AccountRecords.MemberRow> member(Principal actor, String organizationName, String username) {
        return administeredOrganization(actor, organizationName)
                .compose(organization -> sessions.read(s -> member(s, organization, username)));
    }

    public Future<Void> removeMember(Principal actor, String organizationName, String username) {
        return administeredOrganization(actor, organizationName).compose(organization -> changes.commitModel(s ->
                existingUser(s, username).chain(user -> records.removeMember(s, organization.id(), user.id())).invoke(removed -> {
                    if (!removed) {
                        throw ManagementException.notFound(username + " is not a member of " + organizationName);
                    }
                }).replaceWithVoid()));
    }

    /** The organization {@code name}, which {@code actor} must administer. */
    public Future<AccountRecords.NamespaceRow> administeredOrganization(Principal actor, String name) {
        return Futures.attempt(() -> {
            Actors.requireUser(actor);
            return administered(actor, name, sessions.read(s -> existingOrganization(s, name)));
        });
    }

    /** The namespace {@code name} (a user's or an organization's), which {@code actor} must administer. */
    public Future<AccountRecords.NamespaceRow> administeredNamespace(Principal actor, String name) {
        return Futures.attempt(() -> {
            Actors.requireUser(actor);
            return administered(actor, name, sessions.read(s -> records.namespace(s, name))
                    .map(namespace -> namespace.orElseThrow(() -> ManagementException.notFound("no namespace " + name))));
        });
    }

    private Future<AccountRecords.NamespaceRow> administered(Principal actor, String name, Future<AccountRecords.NamespaceRow> namespace) {
        return namespace.compose(found -> permissions.administers(actor, found.id()).map(administers -> {
            if (!administers) {
                throw ManagementException.forbidden(actor.name() + " does not administer " + name);
            }
            return found;
        }));
    }

    private Uni<AccountRecords.NamespaceRow> existingOrganization(Mutiny.Session s, String name) {
        return records.namespace(s, name).map(namespace -> namespace.filter(AccountRecords.NamespaceRow::isOrganization)
                .orElseThrow(() -> ManagementException.notFound("no organization " + name)));
    }

    private Uni<AccountRecords.UserRow> existingUser(Mutiny.Session s, String username) {
        return records.user(s, username).map(user -> user.orElseThrow(() -> ManagementException.notFound("no user " + username)));
    }

    private Uni<AccountRecords.MemberRow> member(Mutiny.Session s, AccountRecords.NamespaceRow organization, String username) {
        return records.members(s, organization.id()).map(members -> members.stream().filter(member -> member.username().equals(username))
                .findFirst().orElseThrow(() -> ManagementException.notFound(username + " is not a member of " + organization.name())));
    }

    private Uni<AccountRecords.UserRow> insertUser(Mutiny.Session s, String username, String email, String passwordHash,
            boolean superuser) {
        return records.insertNamespace(s, username, "user", email)
                .map(namespaceId -> namespaceId.orElseThrow(() -> ManagementException.conflict("the name " + username + " is taken")))
                .chain(namespaceId -> records.insertUser(s, username, email, passwordHash, superuser, namespaceId))
                .chain(() -> records.user(s, username))
                .map(Optional::orElseThrow);
    }

    /** The password's Argon2id hash, computed on a worker thread: it takes a CPU for tens of milliseconds. */
    private Future<String> hashed(String password) {
        return blocking.run(() -> PasswordHasher.hash(password));
    }

    private static String requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw ManagementException.badRequest("password must be 8 to 1024 characters");
        }
        return password;
    }
}
