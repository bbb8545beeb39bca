-- The data of the todo and memory built-ins, kept with the sessions (the same tables exist in
-- ../postgresql/V6__builtin_notes.sql) so that every replica on a shared store sees what a user's turns
-- wrote, whichever replica ran the tool. Times are epoch nanoseconds.

-- One todo list per session of a user (goose keeps one per session); no foreign key, since a
-- stand-alone `goose mcp todo` has sessions of its own. Deleting a session deletes its list.
CREATE TABLE todo_lists (
    owner      TEXT   NOT NULL,
    session_id TEXT   NOT NULL,
    content    TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (owner, session_id)
);

CREATE INDEX todo_lists_session ON todo_lists (session_id);

-- One memory category of a user in one scope ('global', or 'dir:' + a working directory), its entries
-- in goose's text format (separated by a blank line, tags on a leading '# tag1 tag2' line). version
-- makes a read-modify-write safe between replicas (optimistic: an update of a stale version retries).
CREATE TABLE memory_categories (
    owner      TEXT   NOT NULL,
    scope      TEXT   NOT NULL,
    category   TEXT   NOT NULL,
    content    TEXT   NOT NULL,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (owner, scope, category)
);
