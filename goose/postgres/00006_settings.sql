-- Global settings: one row per cluster. value_json holds only the keys an
-- admin set (a JSON object); sealed_secrets maps each set secret to its
-- value sealed with database_encryption_key (a JSON object).

-- +goose Up
CREATE TABLE settings (
    cluster_id     TEXT PRIMARY KEY,
    value_json     TEXT NOT NULL DEFAULT '{}',
    sealed_secrets TEXT NOT NULL DEFAULT '{}',
    created_at     BIGINT NOT NULL DEFAULT 0,
    modified_at    BIGINT NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE settings;
