-- Labels on manifests (Quay's), set through the management API.
CREATE TABLE manifest_labels (
    id           uuid PRIMARY KEY,
    manifest_id  bigint NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
    key          text NOT NULL,
    value        text NOT NULL,
    media_type   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX manifest_labels_manifest ON manifest_labels (manifest_id, key);

-- What was done, by whom, from where: pushes, pulls, tag and repository changes, deletes,
-- cleanups, sign-ins and token operations. Written in batches; listed newest first.
CREATE TABLE usage_logs (
    id           bigserial PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    kind         text NOT NULL,
    performer    text,
    ip           text,
    namespace    text COLLATE "C",
    repository   text COLLATE "C",
    metadata     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX usage_logs_repository ON usage_logs (repository, id DESC) WHERE repository IS NOT NULL;
CREATE INDEX usage_logs_namespace ON usage_logs (namespace, id DESC) WHERE namespace IS NOT NULL;
