-- Key pairs: certificates with their (sealed) private keys, and the parsed
-- facts of the leaf certificate for listing and expiry warnings.

-- +goose Up
CREATE TABLE key_pairs (
    id              TEXT PRIMARY KEY,
    -- NO ACTION rather than RESTRICT, as for namespaces.parent_id.
    namespace_id    TEXT NOT NULL REFERENCES namespaces (id) ON DELETE NO ACTION,
    name            TEXT NOT NULL,
    certificate_pem TEXT NOT NULL,
    sealed_key      TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '',
    issuer          TEXT NOT NULL DEFAULT '',
    dns_names       TEXT NOT NULL DEFAULT '[]',
    ip_addresses    TEXT NOT NULL DEFAULT '[]',
    emails          TEXT NOT NULL DEFAULT '[]',
    uris            TEXT NOT NULL DEFAULT '[]',
    serial          TEXT NOT NULL DEFAULT '',
    not_before      BIGINT NOT NULL DEFAULT 0,
    not_after       BIGINT NOT NULL DEFAULT 0,
    fingerprint     TEXT NOT NULL DEFAULT '',
    is_ca           INTEGER NOT NULL DEFAULT 0 CHECK (is_ca IN (0, 1)),
    key_type        TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL DEFAULT 0,
    modified_at     BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX key_pairs_namespace_name ON key_pairs (namespace_id, lower(name));
CREATE INDEX key_pairs_not_after ON key_pairs (not_after);

-- +goose Down
DROP TABLE key_pairs;
