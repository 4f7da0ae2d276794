-- The algorithm an upload is hashed with while it is received (POST ...?digest-algorithm=, or the
-- digest of a monolithic POST), so that any node continuing it goes on with the same running digest.
ALTER TABLE uploads ADD COLUMN digest_algorithm text NOT NULL DEFAULT 'sha256';
