-- Data is owned by user ids, not names: removing a user and adding another of the same name must not
-- hand the newcomer the first one's sessions, approvals or permissions. A user added from now on gets
-- the id name#<random> (goose.user.UserIds), and every table that names an owner (sessions.owner,
-- tool_approvals.user_name, tool_permissions.user_name, tool_audit.user_name) holds that id. The same
-- change exists in ../postgresql/V10__user_ids.sql.
ALTER TABLE users ADD COLUMN id TEXT NOT NULL DEFAULT '';

-- A user that already existed keeps its name as its id, so everything it owns stays its own (the owner
-- columns already hold that name) and nothing has to be rewritten.
UPDATE users SET id = name;

-- Except a user named local: that name is now reserved for the single user of the none and secret
-- modes, who owns the sessions made without authentication. A fresh id keeps the token user out of them.
UPDATE users SET id = name || '#' || lower(hex(randomblob(8))) WHERE lower(name) = 'local';

CREATE UNIQUE INDEX users_id ON users (id);
