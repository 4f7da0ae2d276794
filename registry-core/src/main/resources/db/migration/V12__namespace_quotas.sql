-- Quotas per namespace (Quay's: one quota of limit_bytes, with Warning and Reject limits at a
-- percentage of it) and the usage they are measured against.
--
-- Usage of a namespace: every digest its repositories hold, once however many repositories and
-- manifests hold it. A repository holds a digest by linking a blob (repository_blobs) or by storing a
-- manifest (manifests; its payload's length is its size). namespace_blobs keeps the membership with
-- the number of holders, namespace_usage the sum of its sizes. Triggers keep both in the transaction
-- that adds or removes a holder, whichever code path does it (upload, mount, manifest push, manifest
-- or repository delete, garbage collection), so the counter never needs a recount per request.
--
-- Concurrency: a holder added to a digest already in the namespace only increments its row; a digest
-- new to the namespace is inserted (ON CONFLICT waits for a concurrent insert of the same digest and
-- then increments instead) and only then the namespace's counter row is updated, under its row lock,
-- which also serializes the Reject check: two pushes can never both see room for their bytes.

CREATE TABLE namespace_quotas (
    id           bigserial PRIMARY KEY,
    namespace_id bigint NOT NULL UNIQUE REFERENCES namespaces (id) ON DELETE CASCADE,
    limit_bytes  bigint NOT NULL CHECK (limit_bytes > 0),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE namespace_quota_limits (
    id                bigserial PRIMARY KEY,
    quota_id          bigint NOT NULL REFERENCES namespace_quotas (id) ON DELETE CASCADE,
    type              text NOT NULL CHECK (type IN ('Warning', 'Reject')),
    threshold_percent integer NOT NULL CHECK (threshold_percent BETWEEN 1 AND 100),
    UNIQUE (quota_id, type, threshold_percent)
);
-- Quay allows one Reject limit per quota.
CREATE UNIQUE INDEX namespace_quota_limits_one_reject ON namespace_quota_limits (quota_id) WHERE type = 'Reject';

-- The Container Registry API's sizeLimit was the same thing: it becomes the namespace's quota, enforced.
INSERT INTO namespace_quotas (namespace_id, limit_bytes) SELECT id, size_limit FROM namespaces WHERE size_limit IS NOT NULL;
INSERT INTO namespace_quota_limits (quota_id, type, threshold_percent) SELECT id, 'Reject', 100 FROM namespace_quotas;
ALTER TABLE namespaces DROP COLUMN size_limit;

CREATE TABLE namespace_blobs (
    namespace_id bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    digest       text COLLATE "C" NOT NULL,
    size         bigint NOT NULL,
    holders      integer NOT NULL CHECK (holders > 0),
    PRIMARY KEY (namespace_id, digest)
);

CREATE TABLE namespace_usage (
    namespace_id bigint PRIMARY KEY REFERENCES namespaces (id) ON DELETE CASCADE,
    used_bytes   bigint NOT NULL DEFAULT 0
);

-- What the membership is from the tables themselves: the recount's answer.
CREATE VIEW namespace_holdings AS
SELECT namespace_id, digest, max(size) AS size, count(*)::integer AS holders FROM (
    SELECT r.namespace_id, rb.digest, b.size FROM repository_blobs rb
        JOIN repositories r ON r.id = rb.repository_id JOIN blobs b ON b.digest = rb.digest
    UNION ALL
    SELECT r.namespace_id, m.digest, octet_length(m.payload) FROM manifests m JOIN repositories r ON r.id = m.repository_id
) held GROUP BY namespace_id, digest;

INSERT INTO namespace_blobs (namespace_id, digest, size, holders) SELECT namespace_id, digest, size, holders FROM namespace_holdings;
INSERT INTO namespace_usage (namespace_id, used_bytes)
SELECT n.id, COALESCE((SELECT sum(nb.size) FROM namespace_blobs nb WHERE nb.namespace_id = n.id), 0) FROM namespaces n;

-- Usage went from before to after: refuses it over a Reject limit (SQLSTATE BQ001, the figures in the
-- detail as JSON), records a crossed Warning limit in the usage log. Called under the counter's row lock.
CREATE FUNCTION namespace_quota_check(ns bigint, before bigint, after bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    l record;
BEGIN
    FOR l IN SELECT q.id AS quota_id, q.limit_bytes, ql.id AS limit_id, ql.type, ql.threshold_percent,
                    floor(q.limit_bytes::numeric * ql.threshold_percent / 100)::bigint AS threshold, n.name
             FROM namespace_quotas q JOIN namespace_quota_limits ql ON ql.quota_id = q.id JOIN namespaces n ON n.id = q.namespace_id
             WHERE q.namespace_id = ns ORDER BY ql.type = 'Reject' DESC
    LOOP
        IF l.type = 'Reject' AND after > l.threshold THEN
            RAISE EXCEPTION 'quota exceeded' USING ERRCODE = 'BQ001', DETAIL = json_build_object('namespace', l.name,
                    'quota_id', l.quota_id, 'used_bytes', before, 'adding_bytes', after - before, 'limit_bytes', l.limit_bytes,
                    'threshold_percent', l.threshold_percent, 'reject_bytes', l.threshold)::text;
        ELSIF l.type = 'Warning' AND before < l.threshold AND after >= l.threshold THEN
            INSERT INTO usage_logs (occurred_at, kind, namespace, metadata) VALUES (now(), 'quota_warning', l.name,
                    jsonb_build_object('quota_id', l.quota_id, 'limit_id', l.limit_id, 'threshold_percent', l.threshold_percent,
                            'used_bytes', after, 'limit_bytes', l.limit_bytes, 'warning_bytes', l.threshold));
        END IF;
    END LOOP;
END $$;

-- One more holder of digest held in namespace ns.
CREATE FUNCTION namespace_usage_hold(ns bigint, held text, bytes bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    after bigint;
BEGIN
    LOOP
        UPDATE namespace_blobs SET holders = holders + 1 WHERE namespace_id = ns AND digest = held;
        IF FOUND THEN
            RETURN;
        END IF;
        INSERT INTO namespace_blobs (namespace_id, digest, size, holders) VALUES (ns, held, bytes, 1) ON CONFLICT DO NOTHING;
        EXIT WHEN FOUND;
        -- A concurrent push inserted it first and committed: count this one as another holder.
    END LOOP;
    INSERT INTO namespace_usage AS u (namespace_id, used_bytes) VALUES (ns, bytes)
    ON CONFLICT (namespace_id) DO UPDATE SET used_bytes = u.used_bytes + EXCLUDED.used_bytes
    RETURNING u.used_bytes INTO after;
    PERFORM namespace_quota_check(ns, after - bytes, after);
END $$;

-- One holder fewer; the last one takes the digest's bytes out of the namespace's usage.
CREATE FUNCTION namespace_usage_release(ns bigint, held text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    freed bigint;
BEGIN
    DELETE FROM namespace_blobs WHERE namespace_id = ns AND digest = held AND holders = 1 RETURNING size INTO freed;
    IF FOUND THEN
        UPDATE namespace_usage SET used_bytes = used_bytes - freed WHERE namespace_id = ns;
    ELSE
        UPDATE namespace_blobs SET holders = holders - 1 WHERE namespace_id = ns AND digest = held;
    END IF;
END $$;

CREATE FUNCTION repository_blobs_usage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ns bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT namespace_id INTO ns FROM repositories WHERE id = NEW.repository_id;
        PERFORM namespace_usage_hold(ns, NEW.digest, (SELECT size FROM blobs WHERE digest = NEW.digest));
    ELSE
        SELECT namespace_id INTO ns FROM repositories WHERE id = OLD.repository_id;
        IF ns IS NOT NULL THEN
            PERFORM namespace_usage_release(ns, OLD.digest);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER repository_blobs_usage AFTER INSERT OR DELETE ON repository_blobs
    FOR EACH ROW EXECUTE FUNCTION repository_blobs_usage();

CREATE FUNCTION manifests_usage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ns bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT namespace_id INTO ns FROM repositories WHERE id = NEW.repository_id;
        PERFORM namespace_usage_hold(ns, NEW.digest, octet_length(NEW.payload)::bigint);
    ELSE
        SELECT namespace_id INTO ns FROM repositories WHERE id = OLD.repository_id;
        IF ns IS NOT NULL THEN
            PERFORM namespace_usage_release(ns, OLD.digest);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER manifests_usage AFTER INSERT OR DELETE ON manifests
    FOR EACH ROW EXECUTE FUNCTION manifests_usage();

-- A repository's manifests and links are deleted before the repository itself: their triggers then
-- still find the repository's namespace (rows deleted by the cascade afterwards could not).
CREATE FUNCTION repositories_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM manifests WHERE repository_id = OLD.id;
    DELETE FROM repository_blobs WHERE repository_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER repositories_usage BEFORE DELETE ON repositories
    FOR EACH ROW EXECUTE FUNCTION repositories_usage();
