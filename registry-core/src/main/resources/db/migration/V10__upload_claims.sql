-- A request that writes to an upload or completes it holds the session while it does (claimed_at is
-- set), so no two requests touch one upload's data at once: a second chunk, final PUT or cancel
-- arriving meanwhile is told the upload is busy, and a finished one is gone for the others.
ALTER TABLE uploads ADD COLUMN claimed_at timestamptz;
