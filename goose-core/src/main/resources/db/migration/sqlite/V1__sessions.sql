-- Sessions, their conversations, their event logs and their turns.
-- Times are BIGINT nanoseconds since the epoch (exactly what a Java Instant holds here, so a stored
-- message reads back equal; valid until 2262). The same schema exists for PostgreSQL in
-- ../postgresql/V1__sessions.sql: keep the two in step.

CREATE TABLE sessions (
    id                  TEXT    NOT NULL PRIMARY KEY,
    owner               TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    -- name lower-cased by the application (Unicode-aware, same on every database) for the name filter
    name_folded         TEXT    NOT NULL,
    working_dir         TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    -- counters kept on the row so that a list never counts; message_count is also the ordinal of the
    -- newest message and last_event_seq the sequence number of the newest event
    message_count       BIGINT  NOT NULL DEFAULT 0,
    last_event_seq      BIGINT  NOT NULL DEFAULT 0,
    last_input_tokens   BIGINT  NOT NULL DEFAULT 0,
    last_output_tokens  BIGINT  NOT NULL DEFAULT 0,
    total_input_tokens  BIGINT  NOT NULL DEFAULT 0,
    total_output_tokens BIGINT  NOT NULL DEFAULT 0
);

-- list(owner): newest first, keyset-paginated on (updated_at, id)
CREATE INDEX sessions_owner_recent ON sessions (owner, updated_at DESC, id DESC);

CREATE TABLE messages (
    session_id    TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    ordinal       BIGINT  NOT NULL,
    id            TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    -- the content parts as a JSON array, each part tagged with its "type"
    content       TEXT    NOT NULL,
    user_visible  BOOLEAN NOT NULL,
    agent_visible BOOLEAN NOT NULL,
    interrupted   BOOLEAN NOT NULL,
    input_tokens  BIGINT  NOT NULL,
    output_tokens BIGINT  NOT NULL,
    PRIMARY KEY (session_id, ordinal)
);

CREATE UNIQUE INDEX messages_session_message ON messages (session_id, id);

CREATE TABLE events (
    session_id TEXT   NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    turn_id    TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    -- the SSE event name and its JSON data, exactly as sent to clients
    name       TEXT   NOT NULL,
    data       TEXT   NOT NULL,
    PRIMARY KEY (session_id, seq)
);

CREATE TABLE turns (
    id          TEXT   NOT NULL PRIMARY KEY,
    session_id  TEXT   NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    request_id  TEXT,
    status      TEXT   NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    -- sequence number of the turn's first event: where a client re-attaching to the turn starts
    first_seq   BIGINT NOT NULL
);

-- At most one running turn per session, enforced by the database so that it holds across instances.
CREATE UNIQUE INDEX turns_one_running ON turns (session_id) WHERE status = 'running';
-- A client's request id names one turn of its session (idempotent resubmission).
CREATE UNIQUE INDEX turns_request ON turns (session_id, request_id);
