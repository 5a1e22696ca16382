-- Routes: the columns lists search, sort and check; everything else of the
-- REST Route is the JSON spec. route_policies attaches optional policies.

-- +goose Up
CREATE TABLE routes (
    id           TEXT PRIMARY KEY,
    namespace_id TEXT NOT NULL REFERENCES namespaces (id) ON DELETE RESTRICT,
    name         TEXT NOT NULL,
    -- name_key is the name lower-cased in Go, so both engines fold case alike.
    name_key     TEXT NOT NULL,
    from_url     TEXT NOT NULL,
    to_urls      TEXT NOT NULL DEFAULT '[]',
    prefix       TEXT NOT NULL DEFAULT '',
    path         TEXT NOT NULL DEFAULT '',
    regex        TEXT NOT NULL DEFAULT '',
    match_key    TEXT NOT NULL,
    tls_custom_ca_key_pair_id            TEXT REFERENCES key_pairs (id) ON DELETE RESTRICT,
    tls_client_key_pair_id               TEXT REFERENCES key_pairs (id) ON DELETE RESTRICT,
    tls_downstream_client_ca_key_pair_id TEXT REFERENCES key_pairs (id) ON DELETE RESTRICT,
    spec         TEXT NOT NULL DEFAULT '{}',
    created_at   BIGINT NOT NULL DEFAULT 0,
    modified_at  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX routes_namespace_name ON routes (namespace_id, name_key);
CREATE UNIQUE INDEX routes_match_key ON routes (match_key);
CREATE INDEX routes_name ON routes (name_key, name, id);
CREATE INDEX routes_from ON routes (from_url, id);
CREATE INDEX routes_modified ON routes (modified_at, id);
CREATE INDEX routes_tls_custom_ca ON routes (tls_custom_ca_key_pair_id);
CREATE INDEX routes_tls_client ON routes (tls_client_key_pair_id);
CREATE INDEX routes_tls_downstream_client_ca ON routes (tls_downstream_client_ca_key_pair_id);

CREATE TABLE route_policies (
    route_id  TEXT NOT NULL REFERENCES routes (id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL REFERENCES policies (id) ON DELETE RESTRICT,
    position  INTEGER NOT NULL,
    PRIMARY KEY (route_id, policy_id)
);
CREATE INDEX route_policies_policy ON route_policies (policy_id, route_id);

-- +goose Down
DROP TABLE route_policies;
DROP TABLE routes;
