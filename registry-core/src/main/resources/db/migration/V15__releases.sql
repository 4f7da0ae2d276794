-- Release snapshots: a version name bundling images (and Helm charts with the images they name),
-- each copied server-side from a source in this registry to a target tag. A release is its own job:
-- a worker on any node takes one that is due (FOR UPDATE SKIP LOCKED), holds it by a lease that it
-- renews with every item it finishes, and another node takes it over once the lease has lapsed.
CREATE TABLE releases (
    id            uuid PRIMARY KEY,
    version_name  text NOT NULL,
    description   text NOT NULL DEFAULT '',
    labels        text[] NOT NULL DEFAULT '{}',
    status        text NOT NULL CHECK (status IN ('creating', 'success', 'failed', 'retrying')),
    error         text,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    -- The node working on the release and until when its lease holds; NULL: nobody has taken it yet.
    lease_owner   text,
    lease_until   timestamptz
);
CREATE INDEX releases_listed ON releases (created_at DESC, id);
CREATE INDEX releases_creator ON releases (created_by, created_at DESC);
CREATE INDEX releases_due ON releases (lease_until NULLS FIRST) WHERE status IN ('creating', 'retrying');

-- One row per image or chart to copy, in the order the request gave them. An image a chart names
-- points at the chart's row (chart_position). `tagged` says whether the target tag names the copied
-- digest: the copy, the tag and this row change in one transaction, so a row never claims less or
-- more than is done.
CREATE TABLE release_items (
    release_id         uuid NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    position           integer NOT NULL,
    chart_position     integer,
    kind               text NOT NULL CHECK (kind IN ('image', 'helm_chart')),
    source_repository  text COLLATE "C" NOT NULL,
    source_reference   text COLLATE "C" NOT NULL,
    target_repository  text COLLATE "C" NOT NULL,
    target_tag         text COLLATE "C" NOT NULL,
    digest             text COLLATE "C",
    status             text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'uploading', 'success', 'failed')),
    tagged             boolean NOT NULL DEFAULT false,
    error              text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (release_id, position)
);
