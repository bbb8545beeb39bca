-- Tool approval and audit. Times are BIGINT nanoseconds since the epoch, as in V1. The same schema
-- exists for both databases (sqlite/ and postgresql/): keep the two in step.

-- The session's own approval mode (auto, approve, smart_approve, chat); NULL follows GOOSE_MODE.
ALTER TABLE sessions ADD COLUMN mode TEXT;

-- A tool call waiting for its user's decision, kept so that it survives reconnects and restarts.
-- decision: NULL while open, then allow_once, always_allow, deny, expired or cancelled (set once).
CREATE TABLE tool_approvals (
    session_id TEXT   NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    call_id    TEXT   NOT NULL,
    user_name  TEXT   NOT NULL,
    tool       TEXT   NOT NULL,
    arguments  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    decision   TEXT,
    decided_at BIGINT,
    PRIMARY KEY (session_id, call_id)
);

CREATE INDEX tool_approvals_open ON tool_approvals (session_id, created_at) WHERE decision IS NULL;

-- always_allow answers: this user is not asked again for this tool.
CREATE TABLE tool_permissions (
    user_name  TEXT   NOT NULL,
    tool       TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_name, tool)
);

-- Every tool call, kept after its session is deleted. id is a UUIDv7: ordering by it is ordering by
-- time, and it is the paging cursor. arguments are redacted before they are stored.
CREATE TABLE tool_audit (
    id          TEXT   NOT NULL PRIMARY KEY,
    at          BIGINT NOT NULL,
    user_name   TEXT   NOT NULL,
    session_id  TEXT   NOT NULL,
    call_id     TEXT   NOT NULL,
    tool        TEXT   NOT NULL,
    arguments   TEXT   NOT NULL,
    decision    TEXT   NOT NULL,
    outcome     TEXT   NOT NULL,
    duration_ms BIGINT NOT NULL
);

CREATE INDEX tool_audit_user ON tool_audit (user_name, id);
CREATE INDEX tool_audit_session ON tool_audit (session_id, id);
