-- Metadata of the distribution protocol: what each repository holds. Blob bytes live in the blob
-- store; everything else lives here. Names use the "C" collation so listings are in byte (lexical)
-- order, as the spec's pagination requires.

CREATE TABLE namespaces (
    id          bigserial PRIMARY KEY,
    name        text COLLATE "C" NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE repositories (
    id            bigserial PRIMARY KEY,
    namespace_id  bigint NOT NULL REFERENCES namespaces (id),
    name          text COLLATE "C" NOT NULL UNIQUE,
    visibility    text NOT NULL DEFAULT 'private' CHECK (visibility IN ('public', 'private')),
    state         text NOT NULL DEFAULT 'NORMAL' CHECK (state IN ('NORMAL', 'READ_ONLY')),
    description   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX repositories_namespace ON repositories (namespace_id);

-- One row per distinct content, shared by every repository that links it.
CREATE TABLE blobs (
    digest      text COLLATE "C" PRIMARY KEY,
    size        bigint NOT NULL CHECK (size >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A repository may serve a blob only while it links it.
CREATE TABLE repository_blobs (
    repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest         text COLLATE "C" NOT NULL REFERENCES blobs (digest),
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository_id, digest)
);
CREATE INDEX repository_blobs_digest ON repository_blobs (digest);

CREATE TABLE manifests (
    id                 bigserial PRIMARY KEY,
    repository_id      bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    digest             text COLLATE "C" NOT NULL,
    media_type         text NOT NULL,
    artifact_type      text,
    config_media_type  text,
    config_digest      text COLLATE "C",
    subject_digest     text COLLATE "C",
    annotations        jsonb,
    payload            bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (repository_id, digest)
);
CREATE INDEX manifests_subject ON manifests (repository_id, subject_digest) WHERE subject_digest IS NOT NULL;

-- Blobs (config and layers) a manifest references.
CREATE TABLE manifest_blobs (
    manifest_id  bigint NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    digest       text COLLATE "C" NOT NULL REFERENCES blobs (digest),
    PRIMARY KEY (manifest_id, digest)
);
CREATE INDEX manifest_blobs_digest ON manifest_blobs (digest);

-- Manifests an index (or manifest list) references, by digest within the same repository.
CREATE TABLE manifest_children (
    manifest_id   bigint NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    child_digest  text COLLATE "C" NOT NULL,
    PRIMARY KEY (manifest_id, child_digest)
);
CREATE INDEX manifest_children_child ON manifest_children (child_digest);

CREATE TABLE tags (
    repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    name           text COLLATE "C" NOT NULL,
    manifest_id    bigint NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,
    PRIMARY KEY (repository_id, name)
);
CREATE INDEX tags_manifest ON tags (manifest_id);

-- Upload sessions: any node can continue one; `received` is the acknowledged length of its data.
CREATE TABLE uploads (
    id             uuid PRIMARY KEY,
    repository_id  bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    received       bigint NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX uploads_updated ON uploads (updated_at);
