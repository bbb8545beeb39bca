-- The instances sharing this database (the same table exists in ../postgresql/V5__instances.sql).
-- Each server registers at start and refreshes last_seen with its turn-lease heartbeat, so an instance
-- id can name only one live process: a start with the id of a live instance is refused (a configured
-- GOOSE_INSTANCE_ID) or picks another (a generated one). boot_id is random per process: it tells a
-- restarted process that took over a lapsed id from the one before it. Times are epoch nanoseconds.
CREATE TABLE instances (
    id         TEXT   NOT NULL PRIMARY KEY,
    boot_id    TEXT   NOT NULL,
    host       TEXT   NOT NULL,
    pid        BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
