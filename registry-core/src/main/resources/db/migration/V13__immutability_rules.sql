-- Immutable tags: a rule protects every tag whose whole name its pattern (a Java regular expression)
-- matches (or, with tag_pattern_matches false, every tag it does not match), in every repository of
-- its namespace or, with repository_id, in that repository alone.
-- A protected tag cannot be moved to another manifest or deleted; it can be created once.
CREATE TABLE immutability_rules (
    id             uuid PRIMARY KEY,
    namespace_id   bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    repository_id  bigint REFERENCES repositories (id) ON DELETE CASCADE,
    tag_pattern    text NOT NULL CHECK (length(tag_pattern) BETWEEN 1 AND 256),
    tag_pattern_matches  boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     text
);
CREATE INDEX immutability_rules_namespace ON immutability_rules (namespace_id, created_at);
CREATE INDEX immutability_rules_repository ON immutability_rules (repository_id) WHERE repository_id IS NOT NULL;
