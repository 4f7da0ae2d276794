-- Online garbage collection. Whatever may have become unreferenced gets a review row; workers on any
-- node take due rows with SKIP LOCKED, re-check references under lock and delete what nothing needs.

-- A blob is deleted in two steps: marked 'deleting' (links gone, no new reference can take it), then
-- its bytes are deleted from storage and only then its row. A 'deleting' blob counts as absent.
ALTER TABLE blobs ADD COLUMN state text NOT NULL DEFAULT 'present' CHECK (state IN ('present', 'deleting'));
CREATE INDEX blobs_deleting ON blobs (digest) WHERE state = 'deleting';

-- When a manifest was last pushed: an untagged manifest pushed moments ago may be the child of an
-- index whose push is still under way, so it is left alone for the safety window.
ALTER TABLE manifests ADD COLUMN pushed_at timestamptz NOT NULL DEFAULT now();
UPDATE manifests SET pushed_at = created_at;

-- Blobs that may be referenced by no manifest. No foreign key: a row is written before an upload's
-- bytes are committed, so that collection of the same digest cannot overlap the commit.
-- used_at: when a client last relied on the blob (uploaded it, found it by HEAD, mounted it); no
-- blob is deleted within the safety window after that.
CREATE TABLE gc_blob_reviews (
    digest        text COLLATE "C" PRIMARY KEY,
    review_after  timestamptz NOT NULL,
    queued_at     timestamptz NOT NULL DEFAULT now(),
    used_at       timestamptz,
    reason        text NOT NULL,
    -- the namespace where it was last released (a namespace's run also covers blobs it no longer links)
    namespace_id  bigint
);
CREATE INDEX gc_blob_reviews_due ON gc_blob_reviews (review_after);

-- Manifests that may be untagged and referenced by nothing.
CREATE TABLE gc_manifest_reviews (
    manifest_id   bigint PRIMARY KEY REFERENCES manifests (id) ON DELETE CASCADE,
    review_after  timestamptz NOT NULL,
    queued_at     timestamptz NOT NULL DEFAULT now(),
    reason        text NOT NULL
);
CREATE INDEX gc_manifest_reviews_due ON gc_manifest_reviews (review_after);

-- On-demand runs (collection or orphan sweep) of one namespace or the whole registry (namespace_id NULL).
CREATE TABLE gc_runs (
    id                 uuid PRIMARY KEY,
    kind               text NOT NULL CHECK (kind IN ('collect', 'orphans')),
    namespace_id       bigint REFERENCES namespaces (id) ON DELETE CASCADE,
    delete_untagged    boolean NOT NULL DEFAULT false,
    dry_run            boolean NOT NULL DEFAULT false,
    status             text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    phase              text NOT NULL,
    requested_by       text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    estimated_bytes    bigint,
    manifests_reviewed bigint NOT NULL DEFAULT 0,
    manifests_deleted  bigint NOT NULL DEFAULT 0,
    blobs_reviewed     bigint NOT NULL DEFAULT 0,
    blobs_deleted      bigint NOT NULL DEFAULT 0,
    bytes_freed        bigint NOT NULL DEFAULT 0,
    report             jsonb,
    error              text
);
CREATE INDEX gc_runs_active ON gc_runs (status) WHERE status = 'running';
CREATE INDEX gc_runs_namespace ON gc_runs (namespace_id, created_at);

-- What already exists when collection is introduced: unreferenced blobs and untagged manifests.
INSERT INTO gc_blob_reviews (digest, review_after, used_at, reason)
SELECT b.digest, now(), now(), 'existing' FROM blobs b
WHERE NOT EXISTS (SELECT 1 FROM manifest_blobs mb WHERE mb.digest = b.digest);

INSERT INTO gc_manifest_reviews (manifest_id, review_after, reason)
SELECT m.id, now() + interval '1 day', 'existing' FROM manifests m
WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id);
