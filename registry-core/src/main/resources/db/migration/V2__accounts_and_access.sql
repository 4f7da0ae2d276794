-- Who may do what: users, organizations (namespaces), their members, robots, access tokens and
-- per-repository permissions, plus the keys that sign registry tokens. Secrets are stored only as
-- hashes: user passwords as Argon2id strings, robot and access-token secrets (random, 256 bits)
-- as SHA-256 digests.

-- A namespace is a user's own or an organization's; namespaces created by an administrator's
-- first push are organizations.
ALTER TABLE namespaces ADD COLUMN kind text NOT NULL DEFAULT 'organization' CHECK (kind IN ('user', 'organization'));
ALTER TABLE namespaces ADD COLUMN email text;

CREATE TABLE users (
    id             bigserial PRIMARY KEY,
    username       text COLLATE "C" NOT NULL UNIQUE,
    email          text,
    password_hash  text NOT NULL,
    superuser      boolean NOT NULL DEFAULT false,
    namespace_id   bigint NOT NULL UNIQUE REFERENCES namespaces (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE namespace_members (
    namespace_id  bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role          text NOT NULL CHECK (role IN ('read', 'write', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace_id, user_id)
);
CREATE INDEX namespace_members_user ON namespace_members (user_id);

CREATE TABLE robots (
    id                     bigserial PRIMARY KEY,
    namespace_id           bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    short_name             text COLLATE "C" NOT NULL,
    description            text NOT NULL DEFAULT '',
    unstructured_metadata  jsonb NOT NULL DEFAULT '{}',
    token_hash             bytea NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    last_used_at           timestamptz,
    UNIQUE (namespace_id, short_name)
);

-- A role on one repository, granted to a user or a robot.
CREATE TABLE repository_permissions (
    repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    user_id        bigint REFERENCES users (id) ON DELETE CASCADE,
    robot_id       bigint REFERENCES robots (id) ON DELETE CASCADE,
    role           text NOT NULL CHECK (role IN ('read', 'write', 'admin')),
    CHECK ((user_id IS NULL) <> (robot_id IS NULL))
);
CREATE UNIQUE INDEX repository_permissions_user ON repository_permissions (repository_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX repository_permissions_robot ON repository_permissions (repository_id, robot_id) WHERE robot_id IS NOT NULL;
CREATE INDEX repository_permissions_user_lookup ON repository_permissions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX repository_permissions_robot_lookup ON repository_permissions (robot_id) WHERE robot_id IS NOT NULL;

-- Personal access tokens: read-only or read-write, over all namespaces or chosen ones, never more
-- than their owner may do.
CREATE TABLE access_tokens (
    id              uuid PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            text NOT NULL,
    secret_hash     bytea NOT NULL,
    expires_at      timestamptz,
    all_namespaces  boolean NOT NULL,
    read_write      boolean NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
CREATE INDEX access_tokens_user ON access_tokens (user_id, created_at);

CREATE TABLE access_token_namespaces (
    token_id      uuid NOT NULL REFERENCES access_tokens (id) ON DELETE CASCADE,
    namespace_id  bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, namespace_id)
);

-- Keys signing registry tokens, shared by every node; the newest signs, all verify.
CREATE TABLE signing_keys (
    key_id       text PRIMARY KEY,
    private_key  bytea NOT NULL,
    public_key   bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
