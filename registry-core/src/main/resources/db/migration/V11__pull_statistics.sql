-- Pull statistics: how often and when a tag and a manifest were last pulled (a manifest GET). Written
-- in batches off the request path; retention rules read them. NULL last_pulled_at: never pulled.
ALTER TABLE tags ADD COLUMN pull_count bigint NOT NULL DEFAULT 0;
ALTER TABLE tags ADD COLUMN last_pulled_at timestamptz;
ALTER TABLE manifests ADD COLUMN pull_count bigint NOT NULL DEFAULT 0;
ALTER TABLE manifests ADD COLUMN last_pulled_at timestamptz;
