-- Extensions changed through the HTTP API on a shared store (the same table exists in
-- ../sqlite/V7__extension_configs.sql): kept here rather than in one replica's config.yaml, so that
-- every replica serves the same set. A row overrides the config.yaml entry of the same name; a row
-- with config NULL records a deletion (of an entry config.yaml may still list). config is the entry in
-- goose's config.yaml shape, as JSON. updated_at in epoch nanoseconds.
CREATE TABLE extension_configs (
    name       TEXT   NOT NULL PRIMARY KEY,
    config     TEXT,
    updated_at BIGINT NOT NULL
);
