package io.berth.core.account;

import io.berth.core.auth.AccessChanges;
import io.berth.core.auth.PasswordHasher;
import io.berth.core.auth.Permissions;
import io.berth.core.auth.Principal;
import io.berth.core.auth.Role;
import io.berth.core.auth.Secrets;
import io.berth.core.error.ManagementException;
import io.berth.core.metadata.Database;
import io.berth.core.metadata.Statements;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Users, organizations and their members. Every user owns a namespace of their own name; an
 * organization is a namespace whose members hold a role (read, write, admin). Blocking: call on a
 * worker thread.
 */
@Singleton
public class AccountService {
    /** The first administrator, created at first start. */
    public static final String ADMIN = "admin";
    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MAX_PASSWORD_LENGTH = 1024;

    private final Database database;
    private final AccountRecords records;
    private final AccessChanges changes;
    private final Permissions permissions;
    private final OrganizationCatalog organizations;

    @Inject
    public AccountService(Database database, AccountRecords records, AccessChanges changes, Permissions permissions,
            OrganizationCatalog organizations) {
        this.database = database;
        this.records = records;
        this.changes = changes;
        this.permissions = permissions;
        this.organizations = organizations;
    }

    /** A user just created, with the password generated for it (null when one was given). */
    public record CreatedUser(AccountRecords.UserRow user, String generatedPassword) {
    }

    /**
     * Creates the administrator {@value #ADMIN} unless it exists, with {@code password} or a
     * generated one; answers the generated password, or empty when nothing was generated.
     */
    public Optional<String> ensureAdministrator(Optional<String> password) {
        return changes.commit(c -> {
            if (records.user(c, ADMIN).isPresent()) {
                return Optional.empty();
            }
            String chosen = password.orElseGet(Secrets::generate);
            insertUser(c, ADMIN, null, chosen, true);
            return password.isPresent() ? Optional.empty() : Optional.of(chosen);
        });
    }

    public CreatedUser createUser(Principal actor, String username, String email, String password) {
        Actors.requireSuperuser(actor);
        Names.requireNamespace(username, "username");
        Names.requireEmail(email);
        String chosen = password == null ? Secrets.generate() : requirePassword(password);
        AccountRecords.UserRow row = changes.commit(c -> insertUser(c, username, email, chosen, false));
        return new CreatedUser(row, password == null ? chosen : null);
    }

    public List<AccountRecords.UserRow> users(Principal actor, int limit, int offset) {
        Actors.requireSuperuser(actor);
        return database.read(c -> records.users(c, limit, offset));
    }

    public AccountRecords.UserRow user(Principal actor, String username) {
        Principal.User me = Actors.requireUser(actor);
        if (!me.superuser() && !me.username().equals(username)) {
            throw ManagementException.forbidden("only administrators may look up other users");
        }
        return database.read(c -> records.user(c, username)).orElseThrow(() -> ManagementException.notFound("no user " + username));
    }

    public void deleteUser(Principal actor, String username) {
        Principal.User me = Actors.requireSuperuser(actor);
        if (me.username().equals(username)) {
            throw ManagementException.badRequest("administrators cannot delete themselves");
        }
        changes.commit(c -> {
            AccountRecords.UserRow user = records.user(c, username).orElseThrow(() -> ManagementException.notFound("no user " + username));
            if (records.hasRepositories(c, user.namespaceId())) {
                throw ManagementException.conflict("user " + username + " still has repositories; delete them first");
            }
            records.deleteUser(c, user.id());
            records.deleteNamespace(c, user.namespaceId());
            return null;
        });
    }

    public void changePassword(Principal actor, String password) {
        if (actor instanceof Principal.Token) {
            throw ManagementException.forbidden("an access token cannot change its owner's password");
        }
        Principal.User me = Actors.requireUser(actor);
        String hash = PasswordHasher.hash(requirePassword(password));
        changes.commit(c -> {
            records.updatePassword(c, me.id(), hash);
            return null;
        });
    }

    public OrganizationView createOrganization(Principal actor, String name, String email) {
        Principal.User creator = Actors.requireUser(actor);
        Names.requireNamespace(name, "organization name");
        Names.requireEmail(email);
        return changes.commit(c -> {
            long id = records.insertNamespace(c, name, "organization", email)
                    .orElseThrow(() -> ManagementException.conflict("the name " + name + " is taken"));
            records.setMember(c, id, creator.id(), Role.ADMIN);
            return organizations.find(c, name).orElseThrow();
        });
    }

    /** An organization its caller belongs to (or any, for administrators), with its size. */
    public OrganizationView organization(Principal actor, String name) {
        Principal.User me = Actors.requireUser(actor);
        AccountRecords.NamespaceRow organization = existingOrganization(name);
        if (!me.superuser() && database.read(c -> records.members(c, organization.id())).stream()
                .noneMatch(member -> member.username().equals(me.username()))) {
            throw ManagementException.notFound("no organization " + name);
        }
        return database.read(c -> organizations.find(c, name)).orElseThrow();
    }

    /** The organizations the caller belongs to (all, for administrators), with their sizes. */
    public OrganizationCatalog.Page organizations(Principal actor, String search, OrganizationCatalog.SortField sortField,
            boolean descending, int limit, int offset) {
        Principal.User me = Actors.requireUser(actor);
        boolean everything = Actors.isSuperuser(actor);
        return database.read(c -> organizations.list(c, everything ? null : me.id(), search, sortField, descending, limit, offset));
    }

    /** Changes the contact email (when given) and, for administrators only, the size limit (when given; 0 removes it). */
    public OrganizationView updateOrganization(Principal actor, String name, String email, Long sizeLimit) {
        AccountRecords.NamespaceRow organization = administeredOrganization(actor, name);
        Names.requireEmail(email);
        if (sizeLimit != null) {
            Actors.requireSuperuser(actor);
            if (sizeLimit < 0) {
                throw ManagementException.badRequest("sizeLimit must be a number of bytes, or 0 for none");
            }
        }
        return changes.commit(c -> {
            if (email != null) {
                records.updateNamespaceEmail(c, organization.id(), email);
            }
            if (sizeLimit != null) {
                Statements.update(c, "UPDATE namespaces SET size_limit = ? WHERE id = ?", sizeLimit == 0 ? null : sizeLimit,
                        organization.id());
            }
            return organizations.find(c, name).orElseThrow();
        });
    }

    public void deleteOrganization(Principal actor, String name) {
        AccountRecords.NamespaceRow organization = administeredOrganization(actor, name);
        changes.commit(c -> {
            if (records.hasRepositories(c, organization.id())) {
                throw ManagementException.conflict("organization " + name + " still has repositories; delete them first");
            }
            records.deleteNamespace(c, organization.id());
            return null;
        });
    }

    public AccountRecords.MemberRow setMember(Principal actor, String organizationName, String username, Role role) {
        AccountRecords.NamespaceRow organization = administeredOrganization(actor, organizationName);
        return changes.commit(c -> {
            AccountRecords.UserRow user = records.user(c, username).orElseThrow(() -> ManagementException.notFound("no user " + username));
            records.setMember(c, organization.id(), user.id(), role);
            return member(c, organization, username);
        });
    }

    public List<AccountRecords.MemberRow> members(Principal actor, String organizationName) {
        AccountRecords.NamespaceRow organization = administeredOrganization(actor, organizationName);
        return database.read(c -> records.members(c, organization.id()));
    }

    public AccountRecords.MemberRow member(Principal actor, String organizationName, String username) {
        AccountRecords.NamespaceRow organization = administeredOrganization(actor, organizationName);
        return database.read(c -> member(c, organization, username));
    }

    public void removeMember(Principal actor, String organizationName, String username) {
        AccountRecords.NamespaceRow organization = administeredOrganization(actor, organizationName);
        changes.commit(c -> {
            AccountRecords.UserRow user = records.user(c, username).orElseThrow(() -> ManagementException.notFound("no user " + username));
            if (!records.removeMember(c, organization.id(), user.id())) {
                throw ManagementException.notFound(username + " is not a member of " + organizationName);
            }
            return null;
        });
    }

    /** The organization {@code name}, which {@code actor} must administer. */
    public AccountRecords.NamespaceRow administeredOrganization(Principal actor, String name) {
        Actors.requireUser(actor);
        AccountRecords.NamespaceRow organization = existingOrganization(name);
        if (!permissions.administers(actor, organization.id())) {
            throw ManagementException.forbidden(actor.name() + " does not administer " + name);
        }
        return organization;
    }

    /** The namespace {@code name} (a user's or an organization's), which {@code actor} must administer. */
    public AccountRecords.NamespaceRow administeredNamespace(Principal actor, String name) {
        Actors.requireUser(actor);
        AccountRecords.NamespaceRow namespace = database.read(c -> records.namespace(c, name))
                .orElseThrow(() -> ManagementException.notFound("no namespace " + name));
        if (!permissions.administers(actor, namespace.id())) {
            throw ManagementException.forbidden(actor.name() + " does not administer " + name);
        }
        return namespace;
    }

    private AccountRecords.NamespaceRow existingOrganization(String name) {
        return database.read(c -> records.namespace(c, name)).filter(AccountRecords.NamespaceRow::isOrganization)
                .orElseThrow(() -> ManagementException.notFound("no organization " + name));
    }

    private AccountRecords.MemberRow member(Connection c, AccountRecords.NamespaceRow organization, String username) throws SQLException {
        return records.members(c, organization.id()).stream().filter(member -> member.username().equals(username)).findFirst()
                .orElseThrow(() -> ManagementException.notFound(username + " is not a member of " + organization.name()));
    }

    private AccountRecords.UserRow insertUser(Connection c, String username, String email, String password, boolean superuser)
            throws SQLException {
        long namespaceId = records.insertNamespace(c, username, "user", email)
                .orElseThrow(() -> ManagementException.conflict("the name " + username + " is taken"));
        records.insertUser(c, username, email, PasswordHasher.hash(password), superuser, namespaceId);
        return records.user(c, username).orElseThrow();
    }

    private static String requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw ManagementException.badRequest("password must be 8 to 1024 characters");
        }
        return password;
    }
}
