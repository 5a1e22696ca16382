-- The configuration revision: one row, incremented by every change to
-- what the console pushes to Pomerium Core.

-- +goose Up
CREATE TABLE config_revision (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    revision    BIGINT NOT NULL DEFAULT 0,
    modified_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO config_revision (id, revision, modified_at) VALUES (1, 0, 0);

-- +goose Down
DROP TABLE config_revision;
