-- Auto-prune (retention) policies, Quay's: of a namespace (every repository in it) or of one
-- repository. `value` is kept as given ("10", "7d"); the method says how it reads.
CREATE TABLE autoprune_policies (
    uuid                 uuid PRIMARY KEY,
    namespace_id         bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    repository_id        bigint REFERENCES repositories (id) ON DELETE CASCADE,
    method               text NOT NULL CHECK (method IN ('number_of_tags', 'creation_date', 'number_of_tags_pulled',
                                                         'not_pulled_since', 'untagged_older_than')),
    value                text NOT NULL,
    tag_pattern          text,
    tag_pattern_matches  boolean NOT NULL DEFAULT true,
    include_tag_pattern  text,
    exclude_tag_pattern  text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX autoprune_policies_namespace ON autoprune_policies (namespace_id, created_at);
CREATE INDEX autoprune_policies_repository ON autoprune_policies (repository_id) WHERE repository_id IS NOT NULL;

-- Runs of a namespace's policies (or one policy's, or a repository's), scheduled or on demand, with
-- their reports. At most one runs per namespace at a time, whichever node started it: the partial
-- unique index refuses a second 'running' row, so a node that finds one skips the namespace.
CREATE TABLE autoprune_runs (
    id                 uuid PRIMARY KEY,
    namespace_id       bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    repository         text,
    policy_uuid        uuid,
    trigger            text NOT NULL CHECK (trigger IN ('schedule', 'api')),
    dry_run            boolean NOT NULL DEFAULT false,
    status             text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    requested_by       text,
    started_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    tags_deleted       integer NOT NULL DEFAULT 0,
    manifests_deleted  integer NOT NULL DEFAULT 0,
    report             jsonb,
    error              text
);
CREATE UNIQUE INDEX autoprune_runs_one_per_namespace ON autoprune_runs (namespace_id) WHERE status = 'running';
CREATE INDEX autoprune_runs_namespace ON autoprune_runs (namespace_id, started_at);
