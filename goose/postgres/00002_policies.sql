-- Policies: PPL documents of a namespace with the Rego compiled from them.

-- +goose Up
CREATE TABLE policies (
    id           TEXT PRIMARY KEY,
    namespace_id TEXT NOT NULL REFERENCES namespaces (id) ON DELETE RESTRICT,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    explanation  TEXT NOT NULL DEFAULT '',
    remediation  TEXT NOT NULL DEFAULT '',
    enforced     BOOLEAN NOT NULL DEFAULT FALSE,
    ppl          TEXT NOT NULL,
    rego         TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL DEFAULT 0,
    modified_at  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX policies_namespace_name ON policies (namespace_id, lower(name));

-- +goose Down
DROP TABLE policies;
