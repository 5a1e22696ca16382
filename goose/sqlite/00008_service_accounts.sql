-- Service accounts: machine identities of a namespace whose tokens the
-- console and Pomerium Core accept, with the state of pushing each one's
-- user.ServiceAccount record to its cluster's databroker; and the service
-- account behind each activity entry an account's token made.

-- +goose Up
CREATE TABLE service_accounts (
    id                   TEXT PRIMARY KEY,
    -- CASCADE: app/serviceaccounts.Blocker refuses to delete a namespace
    -- that still has active accounts (or revoked ones whose tombstone is
    -- not pushed yet); the revoked rest go with the namespace.
    namespace_id         TEXT NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    user_id              TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    created_by           TEXT NOT NULL DEFAULT '',
    issued_at            BIGINT NOT NULL,
    expires_at           BIGINT NULL,
    accessed_at          BIGINT NULL,
    revoked_at           BIGINT NULL,
    version              BIGINT NOT NULL DEFAULT 1,
    synced_version       BIGINT NOT NULL DEFAULT 0,
    synced_cluster_id    TEXT NOT NULL DEFAULT '',
    synced_at            BIGINT NULL,
    sync_error           TEXT NOT NULL DEFAULT '',
    sync_failures        INTEGER NOT NULL DEFAULT 0,
    next_sync_at         BIGINT NULL
);
CREATE INDEX service_accounts_namespace ON service_accounts (namespace_id, issued_at);
-- The retry job looks for accounts whose record is owed.
CREATE INDEX service_accounts_dirty ON service_accounts (next_sync_at) WHERE synced_version < version;

ALTER TABLE activity_log ADD COLUMN service_account_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE activity_log DROP COLUMN service_account_id;
DROP INDEX service_accounts_dirty;
DROP INDEX service_accounts_namespace;
DROP TABLE service_accounts;
