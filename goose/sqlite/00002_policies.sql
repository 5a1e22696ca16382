-- Policies: PPL documents of a namespace with the Rego compiled from them.

-- +goose Up
CREATE TABLE policies (
    id           TEXT PRIMARY KEY,
    -- NO ACTION rather than RESTRICT, as for namespaces.parent_id.
    namespace_id TEXT NOT NULL REFERENCES namespaces (id) ON DELETE NO ACTION,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    explanation  TEXT NOT NULL DEFAULT '',
    remediation  TEXT NOT NULL DEFAULT '',
    enforced     INTEGER NOT NULL DEFAULT 0 CHECK (enforced IN (0, 1)),
    ppl          TEXT NOT NULL,
    rego         TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL DEFAULT 0,
    modified_at  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX policies_namespace_name ON policies (namespace_id, lower(name));

-- +goose Down
DROP TABLE policies;
