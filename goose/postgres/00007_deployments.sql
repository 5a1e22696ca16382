-- Clusters (Pomerium Core installs the console pushes to), their push
-- state, the numbered deployments (applied changesets) of each, and the
-- configuration revision of each activity entry, which links the entry to
-- the changeset it belongs to.

-- +goose Up
CREATE TABLE clusters (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    -- name_key is the name lower-cased in Go, so both engines fold case alike.
    name_key             TEXT NOT NULL,
    namespace_id         TEXT NOT NULL REFERENCES namespaces (id) ON DELETE RESTRICT,
    databroker_url       TEXT NOT NULL DEFAULT '',
    sealed_shared_secret TEXT NOT NULL DEFAULT '',
    ca_pem               TEXT NOT NULL DEFAULT '',
    override_name        TEXT NOT NULL DEFAULT '',
    insecure_skip_verify BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           BIGINT NOT NULL DEFAULT 0,
    modified_at          BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX clusters_name ON clusters (name_key);
CREATE UNIQUE INDEX clusters_namespace ON clusters (namespace_id);
-- The default cluster covers Global; start-up fills in its databroker from
-- the config file.
INSERT INTO clusters (id, name, name_key, namespace_id)
VALUES ('default', 'Default', 'default', '9d8dbd2c-8cce-4e66-9c1f-c490b4a07243');

CREATE TABLE cluster_push_state (
    cluster_id                TEXT PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    connected                 BOOLEAN NOT NULL DEFAULT FALSE,
    last_attempt_at           BIGINT NOT NULL DEFAULT 0,
    last_success_at           BIGINT NOT NULL DEFAULT 0,
    last_pushed_deployment_id TEXT NOT NULL DEFAULT '',
    last_error                TEXT NOT NULL DEFAULT '',
    server_version            TEXT NOT NULL DEFAULT '',
    record_version            BIGINT NOT NULL DEFAULT 0,
    failures                  INTEGER NOT NULL DEFAULT 0,
    next_retry_at             BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE deployments (
    id              TEXT PRIMARY KEY,
    cluster_id      TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    number          BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'applying', 'applied', 'failed', 'current', 'rejected')),
    message         TEXT NOT NULL DEFAULT '',
    config_revision BIGINT NOT NULL DEFAULT 0,
    source_id       TEXT NOT NULL DEFAULT '',
    user_id         TEXT NOT NULL DEFAULT '',
    user_name       TEXT NOT NULL DEFAULT '',
    user_email      TEXT NOT NULL DEFAULT '',
    failure_message TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '{}',
    model           TEXT NOT NULL DEFAULT '',
    config          TEXT NOT NULL DEFAULT '',
    yaml            TEXT NOT NULL DEFAULT '',
    config_hash     TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL DEFAULT 0,
    modified_at     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (cluster_id, number)
);
CREATE INDEX deployments_cluster_status ON deployments (cluster_id, status);

ALTER TABLE activity_log ADD COLUMN config_revision BIGINT NOT NULL DEFAULT 0;
CREATE INDEX activity_log_config_revision ON activity_log (config_revision, created_at) WHERE config_revision > 0;

-- +goose Down
DROP INDEX activity_log_config_revision;
ALTER TABLE activity_log DROP COLUMN config_revision;
DROP TABLE deployments;
DROP TABLE cluster_push_state;
DROP TABLE clusters;
