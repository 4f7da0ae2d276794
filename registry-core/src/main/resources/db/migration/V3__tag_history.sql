-- Where each tag pointed and when: lists past tags and lets a tag be restored to an earlier
-- manifest. A row is open (ended_at NULL) while the tag points at that manifest.
CREATE TABLE tag_history (
    id               bigserial PRIMARY KEY,
    repository_id    bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    name             text COLLATE "C" NOT NULL,
    manifest_digest  text COLLATE "C" NOT NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz
);
CREATE INDEX tag_history_tag ON tag_history (repository_id, name, started_at DESC);
CREATE UNIQUE INDEX tag_history_open ON tag_history (repository_id, name) WHERE ended_at IS NULL;

INSERT INTO tag_history (repository_id, name, manifest_digest, started_at)
SELECT t.repository_id, t.name, m.digest, t.updated_at FROM tags t JOIN manifests m ON m.id = t.manifest_id;

-- Expired tags are pruned by a periodic job that finds them through this index.
CREATE INDEX tags_expiring ON tags (expires_at) WHERE expires_at IS NOT NULL;
