-- Signals between the processes sharing this SQLite file: a `goose server` and the `goose acp`
-- processes of editors (the same table exists in ../postgresql/V30__signals.sql, where LISTEN/NOTIFY
-- carries them instead and the table stays empty). A row says "session S has events up to seq" or
-- "cancel the turn of session S"; it carries ids only, the other tables stay the truth. Every process
-- reads the rows after its cursor every ~100 ms and ignores its own; rows older than a minute are
-- deleted. AUTOINCREMENT: an id is never reused, so a cursor never skips a row. created_at in epoch
-- nanoseconds.
CREATE TABLE signals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    session_id  TEXT    NOT NULL,
    seq         BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL
);

-- From this version every process on a SQLite file leases its turns, as instances on PostgreSQL do.
-- Turns a process of an older version left running have no lease: they are expired at once, so the
-- first process that starts closes them (or resumes them, when they wait for a tool approval).
UPDATE turns SET instance_id = 'before-leases', lease_until = 0
    WHERE status = 'running' AND lease_until IS NULL;
