-- A sparse manifest (berth.manifest.allow-sparse) may reference blobs that were never pushed, so a
-- reference no longer needs a blob row. Collection does not rely on the key: it deletes a blob only
-- after finding, in the same transaction, no manifest that references it, and a push locks (FOR
-- SHARE) the rows of the blobs it references that exist.
ALTER TABLE manifest_blobs DROP CONSTRAINT manifest_blobs_digest_fkey;
